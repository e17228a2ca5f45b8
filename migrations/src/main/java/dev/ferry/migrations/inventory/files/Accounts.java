package dev.ferry.migrations.inventory.files;

import dev.ferry.migrations.inventory.InventoryParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The host's users and groups, from {@code getent passwd} and {@code getent group} (the passwd(5) and group(5)
 * formats): enough to know the ids of any pool's user without asking the host once per user.
 */
public final class Accounts {

    private record User(int uid, int gid) {
    }

    private final Map<String, User> users;
    private final Map<String, Set<Integer>> memberOf;

    private Accounts(Map<String, User> users, Map<String, Set<Integer>> memberOf) {
        this.users = users;
        this.memberOf = memberOf;
    }

    public static Accounts parse(String passwd, String group) {
        Map<String, User> users = new HashMap<>();
        for (String line : passwd.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(":", -1);
            if (f.length < 4) {
                throw new InventoryParseException("passwd", "expected name:password:uid:gid:..., got '"
                        + abbreviate(line) + "'");
            }
            users.putIfAbsent(f[0], new User(number("passwd", f[2], line), number("passwd", f[3], line)));
        }
        Map<String, Set<Integer>> memberOf = new HashMap<>();
        for (String line : group.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(":", -1);
            if (f.length < 4) {
                throw new InventoryParseException("group", "expected name:password:gid:members, got '"
                        + abbreviate(line) + "'");
            }
            int gid = number("group", f[2], line);
            for (String member : f[3].split(",")) {
                if (!member.isBlank()) {
                    memberOf.computeIfAbsent(member.strip(), m -> new LinkedHashSet<>()).add(gid);
                }
            }
        }
        return new Accounts(users, memberOf);
    }

    /** The user as {@code id} would show it: primary group first, then the others, each once. */
    public Optional<PoolUser> user(String name) {
        User u = users.get(name);
        if (u == null) {
            return Optional.empty();
        }
        List<Integer> gids = new ArrayList<>(List.of(u.gid()));
        memberOf.getOrDefault(name, Set.of()).stream().filter(g -> g != u.gid()).forEach(gids::add);
        return Optional.of(new PoolUser(name, u.uid(), gids));
    }

    private static int number(String command, String field, String line) {
        try {
            return Integer.parseInt(field);
        } catch (NumberFormatException e) {
            throw new InventoryParseException(command, "'" + field + "' is not an id in '" + abbreviate(line) + "'");
        }
    }

    private static String abbreviate(String line) {
        return line.length() > 80 ? line.substring(0, 80) + "..." : line;
    }
}
