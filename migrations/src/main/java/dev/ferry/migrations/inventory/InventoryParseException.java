package dev.ferry.migrations.inventory;

/**
 * The output of an inventory command (or a configuration file read on the host) did not have the shape its parser
 * knows. The message names the command first, so an operator sees which probe to re-run by hand: {@code
 * "<command>: <what was unexpected>"}. Messages never quote configuration values: the text may hold secrets.
 */
public class InventoryParseException extends RuntimeException {

    private final String command;

    public InventoryParseException(String command, String message) {
        super(command + ": " + message);
        this.command = command;
    }

    public String command() {
        return command;
    }
}
