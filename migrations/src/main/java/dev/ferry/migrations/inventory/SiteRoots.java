package dev.ferry.migrations.inventory;

import dev.ferry.migrations.inventory.nginx.Location;
import dev.ferry.migrations.inventory.nginx.NginxPaths;
import dev.ferry.migrations.inventory.nginx.NginxSites;
import dev.ferry.migrations.inventory.nginx.ServerBlock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The directories the sites serve files from: server roots, location roots and alias targets. */
final class SiteRoots {

    /** A directory and the first server that serves from it. */
    record Root(String server, String path) {
    }

    private SiteRoots() {
    }

    static List<Root> of(NginxSites sites) {
        Map<String, Root> byPath = new LinkedHashMap<>();
        for (ServerBlock server : sites.servers()) {
            String name = PoolMappings.primaryName(server);
            add(byPath, name, server.root());
            for (Location location : flatten(server.locations())) {
                add(byPath, name, location.root());
                add(byPath, name, location.alias());
            }
        }
        return List.copyOf(byPath.values());
    }

    static List<Location> flatten(List<Location> locations) {
        List<Location> out = new ArrayList<>();
        for (Location l : locations) {
            out.add(l);
            out.addAll(flatten(l.locations()));
        }
        return out;
    }

    private static void add(Map<String, Root> byPath, String server, String path) {
        if (path == null || path.isEmpty()) {
            return;
        }
        String normal = NginxPaths.directory(path);
        byPath.putIfAbsent(normal, new Root(server, normal));
    }
}
