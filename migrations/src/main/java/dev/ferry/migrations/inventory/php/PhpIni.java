package dev.ferry.migrations.inventory.php;

import dev.ferry.migrations.inventory.InventoryParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where a PHP binary reads its ini files, from {@code php --ini} (or {@code php-fpmX.Y -i | ...} equivalents).
 *
 * @param configPath      the directory PHP looks for php.ini in (always printed)
 * @param loadedFile      the php.ini actually loaded, null when PHP printed {@code (none)}
 * @param scanDir         the conf.d directory, null when {@code (none)}
 * @param additionalFiles the conf.d files parsed, in PHP's order; empty when {@code (none)}
 */
public record PhpIni(String configPath, String loadedFile, String scanDir, List<String> additionalFiles) {

    private static final String COMMAND = "php --ini";
    private static final String CONFIG_PATH = "Configuration File (php.ini) Path:";
    private static final String LOADED = "Loaded Configuration File:";
    private static final String SCAN = "Scan for additional .ini files in:";
    private static final String ADDITIONAL = "Additional .ini files parsed:";

    public PhpIni {
        Objects.requireNonNull(configPath, "configPath");
        additionalFiles = List.copyOf(additionalFiles);
    }

    public static PhpIni parse(String phpIni) {
        if (phpIni == null || phpIni.isBlank()) {
            throw new InventoryParseException(COMMAND, "empty output");
        }
        String configPath = null;
        String loaded = null;
        String scan = null;
        List<String> additional = null;
        boolean seenLoaded = false;
        boolean seenScan = false;
        for (String raw : phpIni.lines().toList()) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith(CONFIG_PATH)) {
                configPath = value(line, CONFIG_PATH);
            } else if (line.startsWith(LOADED)) {
                loaded = value(line, LOADED);
                seenLoaded = true;
            } else if (line.startsWith(SCAN)) {
                scan = value(line, SCAN);
                seenScan = true;
            } else if (line.startsWith(ADDITIONAL)) {
                additional = new ArrayList<>();
                addFiles(additional, line.substring(ADDITIONAL.length()));
            } else if (additional != null) {
                // The list continues on the following lines, one ",\n"-separated file each.
                addFiles(additional, line);
            } else {
                throw new InventoryParseException(COMMAND, "unexpected line: " + line);
            }
        }
        if (configPath == null) {
            throw new InventoryParseException(COMMAND, "no '" + CONFIG_PATH + "' line");
        }
        if (!seenLoaded || !seenScan || additional == null) {
            throw new InventoryParseException(COMMAND, "missing one of the Loaded/Scan/Additional lines"
                    + " (output truncated?)");
        }
        return new PhpIni(configPath, loaded, scan, additional);
    }

    private static String value(String line, String label) {
        String value = line.substring(label.length()).strip();
        if (value.isEmpty()) {
            throw new InventoryParseException(COMMAND, "no value after '" + label + "'");
        }
        return value.equals("(none)") ? null : value;
    }

    private static void addFiles(List<String> into, String text) {
        Arrays.stream(text.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty() && !s.equals("(none)"))
                .forEach(into::add);
    }
}
