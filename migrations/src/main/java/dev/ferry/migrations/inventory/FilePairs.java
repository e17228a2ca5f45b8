package dev.ferry.migrations.inventory;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the {@code path NUL content NUL} pairs that {@link InventoryCommands#readFiles} prints. */
final class FilePairs {

    private FilePairs() {
    }

    static Map<String, String> parse(String command, String output) {
        Map<String, String> files = new LinkedHashMap<>();
        int at = 0;
        while (at < output.length()) {
            int endOfPath = output.indexOf('\0', at);
            int endOfContent = endOfPath < 0 ? -1 : output.indexOf('\0', endOfPath + 1);
            if (endOfContent < 0) {
                throw new InventoryParseException(command, "a file's path or content is not terminated by NUL at "
                        + "offset " + at + " (was the output cut off?)");
            }
            files.put(output.substring(at, endOfPath), output.substring(endOfPath + 1, endOfContent));
            at = endOfContent + 1;
        }
        return files;
    }
}
