package dev.ferry.migrations.plan;

import java.util.List;

/**
 * One site of the host as it will be served from the cluster: the server blocks that share a primary name.
 *
 * @param name       the site's directory and file name ({@code php.example.test}; {@code default} for {@code _})
 * @param php        whether any of its locations passes requests to PHP-FPM
 * @param pools      the php-fpm pools it uses
 * @param paths      each legacy directory it serves files from and where that goes on the web-data volume
 * @param tlsFiles   each TLS file (certificate, key, dhparam) and where the image or Secret puts it
 * @param configFile the rendered configuration's path relative to nginx's conf directory
 * @param config     the rendered server blocks
 */
public record SitePlan(String name, List<String> serverNames, boolean php, List<String> pools,
                       List<PathMapping> paths, List<PathMapping> tlsFiles, String configFile, String config) {

    public SitePlan {
        serverNames = List.copyOf(serverNames);
        pools = List.copyOf(pools);
        paths = List.copyOf(paths);
        tlsFiles = List.copyOf(tlsFiles);
    }

    /** A legacy path and its new place. */
    public record PathMapping(String legacy, String target) {
    }
}
