package dev.ferry.migrations.inventory.apps;

import dev.ferry.migrations.inventory.apps.PhpSource.Kind;
import dev.ferry.migrations.inventory.apps.PhpSource.Token;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Drupal: {@code sites/<site>/settings.php}. */
public final class Drupal {

    private Drupal() {
    }

    /**
     * Reads the {@code default} connection: {@code $databases['default']['default'] = [ ... ]} (or
     * {@code array( ... )}), or Drupal 7's {@code $databases = array('default' => array('default' => ...))}. The
     * last assignment wins. Empty when neither is there (Drupal's installer has not run).
     */
    public static Optional<AppDatabase> parse(String path, String content) {
        PhpSource source = new PhpSource(path, content);
        List<Token> t = source.tokens();
        Map<?, ?> connection = null;
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).kind() != Kind.VAR || !t.get(i).text().equals("$databases")) {
                continue;
            }
            if (i + 7 < t.size() && t.get(i + 1).is("[") && isString(t.get(i + 2), "default") && t.get(i + 3).is("]")
                    && t.get(i + 4).is("[") && isString(t.get(i + 5), "default") && t.get(i + 6).is("]")
                    && t.get(i + 7).is("=")) {
                PhpSource.Value value = source.value(i + 8);
                if (value.value() instanceof Map<?, ?> map) {
                    connection = map;
                }
                i = value.next() - 1;
            } else if (i + 1 < t.size() && t.get(i + 1).is("=")) {
                PhpSource.Value value = source.value(i + 2);
                if (value.value() instanceof Map<?, ?> all && all.get("default") instanceof Map<?, ?> target
                        && target.get("default") instanceof Map<?, ?> map) {
                    connection = map;
                }
                i = value.next() - 1;
            }
        }
        if (connection == null) {
            return Optional.empty();
        }
        AppDatabase.Endpoint endpoint = AppDatabase.Endpoint.of(path, text(connection, "host"));
        Integer port = endpoint.port() != null ? endpoint.port()
                : AppDatabase.Endpoint.port(path, text(connection, "port"));
        String socket = text(connection, "unix_socket") != null ? text(connection, "unix_socket") : endpoint.socket();
        return Optional.of(new AppDatabase("drupal", path, text(connection, "driver"), endpoint.host(), port, socket,
                text(connection, "database"), text(connection, "username"), text(connection, "prefix")));
    }

    private static boolean isString(Token token, String value) {
        return token.kind() == Kind.STRING && value.equals(token.text());
    }

    // Drupal's installer writes '' for settings it leaves at their default (port, prefix, socket).
    private static String text(Map<?, ?> map, String key) {
        String value = WordPress.text(map.get(key));
        return value == null || value.isBlank() ? null : value;
    }
}
