package dev.ferry.migrations.inventory.files;

import dev.ferry.migrations.inventory.InventoryParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The account a php-fpm pool runs as, whose write access to the web root decides what must stay writable.
 *
 * @param gids the primary group first, then the supplementary groups, each once
 */
public record PoolUser(String name, int uid, List<Integer> gids) {

    private static final Pattern ID = Pattern.compile(
            "uid=(\\d{1,10})(?:\\([^)]*\\))?\\s+gid=(\\d{1,10})(?:\\([^)]*\\))?(?:\\s+[^=\\s]+=(.*))?");
    private static final Pattern GROUP = Pattern.compile("(\\d{1,10})(?:\\([^)]*\\))?");

    public PoolUser {
        Objects.requireNonNull(name, "name");
        gids = List.copyOf(gids);
    }

    /**
     * Parses {@code id <user>}: {@code uid=33(www-data) gid=33(www-data) groups=33(www-data),1001(x)}. The groups
     * label is translated in some locales ({@code Gruppen=}), so any label is accepted there.
     */
    public static PoolUser parse(String name, String idOutput) {
        String command = "id " + name;
        String line = idOutput == null ? "" : idOutput.strip();
        Matcher m = ID.matcher(line);
        if (!m.matches()) {
            throw new InventoryParseException(command, "expected 'uid=N(name) gid=N(name) groups=...', got '"
                    + (line.length() > 80 ? line.substring(0, 80) + "..." : line) + "'");
        }
        List<Integer> gids = new ArrayList<>();
        gids.add(id(command, m.group(2)));
        if (m.group(3) != null && !m.group(3).isBlank()) {
            for (String group : m.group(3).strip().split(",")) {
                Matcher g = GROUP.matcher(group.strip());
                if (!g.matches()) {
                    throw new InventoryParseException(command, "bad group entry '" + group + "'");
                }
                int gid = id(command, g.group(1));
                if (!gids.contains(gid)) {
                    gids.add(gid);
                }
            }
        }
        return new PoolUser(name, id(command, m.group(1)), gids);
    }

    private static int id(String command, String digits) {
        long id = Long.parseLong(digits);
        if (id > 0xFFFF_FFFEL) {
            throw new InventoryParseException(command, "id out of range: " + digits);
        }
        return (int) id;
    }
}
