package dev.ferry.migrations.inventory.apps;

import dev.ferry.migrations.inventory.apps.PhpSource.Kind;
import dev.ferry.migrations.inventory.apps.PhpSource.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** WordPress: {@code wp-config.php}, or Debian's {@code /etc/wordpress/config-*.php}, which use the same defines. */
public final class WordPress {

    private WordPress() {
    }

    /**
     * Reads the {@code DB_*} defines and {@code $table_prefix}. Empty when the file defines none of DB_NAME, DB_HOST
     * and DB_USER (Debian's {@code /usr/share/wordpress/wp-config.php} only picks a file from
     * {@link #debianConfigFiles}; read that one). The first define of a name wins, as in PHP.
     */
    public static Optional<AppDatabase> parse(String path, String content) {
        PhpSource source = new PhpSource(path, content);
        List<Token> t = source.tokens();
        Map<String, Object> defines = new HashMap<>();
        Object prefix = null;
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).isIdent("define") && i + 3 < t.size() && t.get(i + 1).is("(")
                    && t.get(i + 2).kind() == Kind.STRING && t.get(i + 3).is(",")) {
                String name = t.get(i + 2).text();
                PhpSource.Value value = source.value(i + 4);
                if (name != null && !name.equals("DB_PASSWORD")) {
                    defines.putIfAbsent(name, value.value());
                }
                i = value.next() - 1;
            } else if (t.get(i).kind() == Kind.VAR && t.get(i).text().equals("$table_prefix")
                    && i + 1 < t.size() && t.get(i + 1).is("=")) {
                PhpSource.Value value = source.value(i + 2);
                prefix = value.value();
                i = value.next() - 1;
            }
        }
        if (!defines.containsKey("DB_NAME") && !defines.containsKey("DB_HOST") && !defines.containsKey("DB_USER")) {
            return Optional.empty();
        }
        AppDatabase.Endpoint endpoint = AppDatabase.Endpoint.of(path, text(defines.get("DB_HOST")));
        return Optional.of(new AppDatabase("wordpress", path, "mysql", endpoint.host(), endpoint.port(),
                endpoint.socket(), text(defines.get("DB_NAME")), text(defines.get("DB_USER")), text(prefix)));
    }

    /**
     * The files Debian's {@code /usr/share/wordpress/wp-config.php} tries for a request to {@code serverName}, in its
     * order: {@code config-<host>.php}, then {@code config-<host without its first label>.php} (the main site of a
     * multisite with subdomains), then {@code config-default.php}. Like Debian's, the port is dropped, characters
     * other than letters, digits, dots and dashes are removed, and the name is lower-cased.
     */
    public static List<String> debianConfigFiles(String serverName) {
        String server = serverName == null ? "" : serverName.replaceFirst(":.*", "")
                .replaceAll("[^a-zA-Z0-9.\\-]", "");
        String main = server.replaceFirst("^[^.]*\\.", "");
        List<String> files = new ArrayList<>();
        files.add("/etc/wordpress/config-" + server.toLowerCase(Locale.ROOT) + ".php");
        String mainFile = "/etc/wordpress/config-" + main.toLowerCase(Locale.ROOT) + ".php";
        if (!files.contains(mainFile)) {
            files.add(mainFile);
        }
        files.add("/etc/wordpress/config-default.php");
        return List.copyOf(files);
    }

    static String text(Object value) {
        return value instanceof String s ? s : null;
    }
}
