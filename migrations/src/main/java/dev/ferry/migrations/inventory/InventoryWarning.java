package dev.ferry.migrations.inventory;

/**
 * Something the inventory could not find out.
 *
 * @param command the command whose run or output was unexpected ({@code nginx-T})
 * @param message what was unexpected, including the command's exit status or error output where it helps
 */
public record InventoryWarning(String command, String message) {

    @Override
    public String toString() {
        return command + ": " + message;
    }
}
