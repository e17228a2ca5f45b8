package dev.ferry.migrations.inventory.nginx;

import java.util.List;

/**
 * A {@code location} block and how it serves requests. Roots and indexes here are the location's own (null or
 * empty when it inherits the server's).
 *
 * @param modifier {@code ""}, {@code =}, {@code ~}, {@code ~*}, {@code ^~}, or {@code @} for a named location
 */
public record Location(String modifier, String path, String root, String alias, List<String> index,
                       List<String> tryFiles, FastcgiPass fastcgi, String proxyPass, String returnDirective,
                       List<String> rewrites, List<ModuleUse> moduleDirectives, List<Location> locations) {

    public Location {
        index = List.copyOf(index);
        tryFiles = List.copyOf(tryFiles);
        rewrites = List.copyOf(rewrites);
        moduleDirectives = List.copyOf(moduleDirectives);
        locations = List.copyOf(locations);
    }
}
