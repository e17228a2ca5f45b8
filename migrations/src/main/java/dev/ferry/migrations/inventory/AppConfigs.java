package dev.ferry.migrations.inventory;

import dev.ferry.migrations.inventory.apps.AppDatabase;
import dev.ferry.migrations.inventory.apps.Drupal;
import dev.ferry.migrations.inventory.apps.MediaWiki;
import dev.ferry.migrations.inventory.apps.WordPress;
import dev.ferry.migrations.inventory.nginx.NginxPaths;
import dev.ferry.migrations.inventory.nginx.NginxSites;
import dev.ferry.migrations.inventory.nginx.ServerBlock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where recognisable applications (WordPress, MediaWiki, Drupal) keep their database settings, per site root,
 * and reading them. Only the settings a migration needs are read: host, name, user; never a password.
 */
final class AppConfigs {

    /** Debian's wordpress package serves from here and keeps each site's settings under /etc/wordpress. */
    static final String DEBIAN_WORDPRESS = "/usr/share/wordpress";

    /** The files to look for under one site root. */
    record Candidates(String server, String root, List<String> paths) {
    }

    private AppConfigs() {
    }

    static List<Candidates> candidates(NginxSites sites) {
        List<Candidates> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ServerBlock server : sites.servers()) {
            String root = server.root();
            if (root == null || root.contains("$")) {
                continue;
            }
            String dir = NginxPaths.directory(root);
            List<String> paths = new ArrayList<>(List.of(dir + "/wp-config.php", dir + "/LocalSettings.php",
                    dir + "/sites/default/settings.php"));
            if (dir.equals(DEBIAN_WORDPRESS)) {
                for (String name : server.serverNames()) {
                    paths.addAll(WordPress.debianConfigFiles(name));
                }
            }
            paths.removeIf(p -> !seen.add(p));
            if (!paths.isEmpty()) {
                out.add(new Candidates(PoolMappings.primaryName(server), dir, List.copyOf(paths)));
            }
        }
        return out;
    }

    static List<AppDatabase> read(Map<String, String> files) {
        List<AppDatabase> found = new ArrayList<>();
        files.forEach((path, content) -> {
            Optional<AppDatabase> db = path.endsWith("/wp-config.php") || path.startsWith("/etc/wordpress/")
                    ? WordPress.parse(path, content)
                    : path.endsWith("/LocalSettings.php") ? MediaWiki.parse(path, content)
                    : path.endsWith("/settings.php") ? Drupal.parse(path, content)
                    : Optional.empty();
            db.ifPresent(found::add);
        });
        return found;
    }
}
