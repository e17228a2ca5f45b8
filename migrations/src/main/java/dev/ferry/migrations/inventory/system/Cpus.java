package dev.ferry.migrations.inventory.system;

import dev.ferry.migrations.inventory.InventoryParseException;

/** The processors available to the host's processes, from {@code nproc}. */
public final class Cpus {

    private Cpus() {
    }

    public static int parse(String nprocOutput) {
        String s = nprocOutput == null ? "" : nprocOutput.strip();
        if (!s.matches("\\d{1,6}") || Integer.parseInt(s) == 0) {
            throw new InventoryParseException("nproc", "expected a positive count, got '" + abbreviate(s) + "'");
        }
        return Integer.parseInt(s);
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
