package dev.ferry.migrations.inventory.system;

import dev.ferry.migrations.inventory.InventoryParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The distribution, from {@code /etc/os-release} (os-release(5): shell-style {@code KEY=value}, optionally quoted).
 *
 * @param id              {@code "debian"}; os-release(5) defaults it to {@code "linux"}
 * @param versionId       {@code "12"}, null on rolling distributions
 * @param prettyName      {@code "Debian GNU/Linux 12 (bookworm)"}; os-release(5) defaults it to {@code "Linux"}
 * @param versionCodename {@code "bookworm"}, null when absent (CentOS, Alpine)
 */
public record OsRelease(String id, String versionId, String prettyName, String versionCodename) {

    private static final String COMMAND = "cat /etc/os-release";
    private static final Pattern LINE = Pattern.compile("([A-Z][A-Z0-9_]*)=(.*)");

    public OsRelease {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prettyName, "prettyName");
    }

    public static OsRelease parse(String etcOsRelease) {
        if (etcOsRelease == null || etcOsRelease.isBlank()) {
            throw new InventoryParseException(COMMAND, "empty file");
        }
        Map<String, String> values = new HashMap<>();
        int lineNo = 0;
        for (String raw : etcOsRelease.lines().toList()) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new InventoryParseException(COMMAND, "line " + lineNo + " is not KEY=value");
            }
            values.put(m.group(1), unquote(m.group(2).strip(), lineNo));
        }
        return new OsRelease(values.getOrDefault("ID", "linux"), values.get("VERSION_ID"),
                values.getOrDefault("PRETTY_NAME", "Linux"), values.get("VERSION_CODENAME"));
    }

    private static String unquote(String value, int lineNo) {
        if (value.isEmpty()) {
            return value;
        }
        char q = value.charAt(0);
        if (q != '"' && q != '\'') {
            return value;
        }
        if (value.length() < 2 || value.charAt(value.length() - 1) != q) {
            throw new InventoryParseException(COMMAND, "line " + lineNo + ": unterminated quote");
        }
        String inner = value.substring(1, value.length() - 1);
        if (q == '\'') {
            return inner;
        }
        // Inside double quotes a backslash escapes only $ ` " \ (as in sh).
        return inner.replaceAll("\\\\([$`\"\\\\])", "$1");
    }
}
