package dev.ferry.migrations.plan;

import dev.ferry.migrations.inventory.php.FpmPool;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A php-fpm pool file for the new PHP container, from the legacy pool: its process manager settings, limits,
 * {@code php_value}/{@code php_admin_value} and environment carried over; listen, user and group are the new
 * ones. Settings that name legacy paths or sockets (chdir, slowlog, listen.owner...) are left out.
 */
public final class PhpPoolRenderer {

    /** The legacy pool settings worth keeping, besides pm.*, values and env. */
    private static final List<String> KEPT = List.of("request_terminate_timeout", "request_slowlog_timeout",
            "rlimit_files", "rlimit_core", "catch_workers_output", "decorate_workers_output", "clear_env",
            "security.limit_extensions");

    private PhpPoolRenderer() {
    }

    public static String render(FpmPool pool, String listen, String user, String group) {
        StringBuilder s = new StringBuilder("; pool ").append(pool.name())
                .append(": rendered by Ferry from the legacy pool\n[").append(pool.name()).append("]\n");
        line(s, "user", user);
        line(s, "group", group);
        line(s, "listen", listen);
        line(s, "pm", pool.pm() == null ? "dynamic" : pool.pm());
        new TreeMap<>(pool.pmSettings()).forEach((k, v) -> line(s, k, v));
        for (String key : KEPT) {
            if (pool.other().containsKey(key)) {
                line(s, key, pool.other().get(key));
            }
        }
        values(s, "env", pool.env());
        values(s, "php_value", pool.phpValues());
        values(s, "php_admin_value", pool.phpAdminValues());
        return s.toString();
    }

    private static void values(StringBuilder s, String kind, Map<String, String> values) {
        new TreeMap<>(values).forEach((k, v) -> line(s, kind + "[" + k + "]", v));
    }

    private static void line(StringBuilder s, String key, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        boolean plain = value.matches("[A-Za-z0-9_./:+$-]*");
        s.append(key).append(" = ").append(plain ? value : "\"" + value.replace("\"", "\\\"") + "\"").append('\n');
    }
}
