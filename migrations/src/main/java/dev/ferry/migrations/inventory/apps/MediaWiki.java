package dev.ferry.migrations.inventory.apps;

import dev.ferry.migrations.inventory.apps.PhpSource.Kind;
import dev.ferry.migrations.inventory.apps.PhpSource.Token;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** MediaWiki: {@code LocalSettings.php}. */
public final class MediaWiki {

    private static final Set<String> SETTINGS =
            Set.of("$wgDBserver", "$wgDBname", "$wgDBuser", "$wgDBtype", "$wgDBprefix", "$wgDBport");

    private MediaWiki() {
    }

    /**
     * Reads the {@code $wgDB*} assignments (the last one wins, as in PHP); empty when {@code $wgDBname} is never set.
     * What is not set takes MediaWiki's defaults: server {@code localhost}, type {@code mysql}.
     */
    public static Optional<AppDatabase> parse(String path, String content) {
        PhpSource source = new PhpSource(path, content);
        List<Token> t = source.tokens();
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i + 1 < t.size(); i++) {
            Token token = t.get(i);
            if (token.kind() == Kind.VAR && SETTINGS.contains(token.text()) && t.get(i + 1).is("=")) {
                PhpSource.Value value = source.value(i + 2);
                values.put(token.text(), value.value());
                i = value.next() - 1;
            }
        }
        if (!values.containsKey("$wgDBname")) {
            return Optional.empty();
        }
        String server = values.containsKey("$wgDBserver") ? WordPress.text(values.get("$wgDBserver")) : "localhost";
        AppDatabase.Endpoint endpoint = AppDatabase.Endpoint.of(path, server);
        Integer port = endpoint.port() != null ? endpoint.port()
                : AppDatabase.Endpoint.port(path, WordPress.text(values.get("$wgDBport")));
        String type = values.containsKey("$wgDBtype") ? WordPress.text(values.get("$wgDBtype")) : "mysql";
        return Optional.of(new AppDatabase("mediawiki", path, type, endpoint.host(), port, endpoint.socket(),
                WordPress.text(values.get("$wgDBname")), WordPress.text(values.get("$wgDBuser")),
                WordPress.text(values.get("$wgDBprefix"))));
    }
}
