package dev.ferry.migrations.inventory.system;

import dev.ferry.migrations.inventory.InventoryParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Physical memory, from {@code /proc/meminfo}. */
public final class Memory {

    private static final String COMMAND = "cat /proc/meminfo";
    private static final Pattern MEM_TOTAL = Pattern.compile("^MemTotal:\\s+(\\d{1,15}) kB\\s*$", Pattern.MULTILINE);

    private Memory() {
    }

    /** MemTotal in bytes; the kernel's "kB" are KiB. */
    public static long totalBytes(String procMeminfo) {
        if (procMeminfo == null || procMeminfo.isBlank()) {
            throw new InventoryParseException(COMMAND, "empty output");
        }
        Matcher m = MEM_TOTAL.matcher(procMeminfo);
        if (!m.find()) {
            throw new InventoryParseException(COMMAND, "no 'MemTotal: <n> kB' line");
        }
        long kib = Long.parseLong(m.group(1));
        if (kib == 0) {
            throw new InventoryParseException(COMMAND, "MemTotal is 0");
        }
        return kib * 1024;
    }
}
