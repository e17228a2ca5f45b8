package dev.ferry.migrations.inventory;

import dev.ferry.migrations.inventory.nginx.FastcgiPass;
import dev.ferry.migrations.inventory.nginx.Location;
import dev.ferry.migrations.inventory.nginx.NginxSites;
import dev.ferry.migrations.inventory.nginx.ServerBlock;
import dev.ferry.migrations.inventory.nginx.Upstream;
import dev.ferry.migrations.inventory.php.FpmPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Matches each {@code fastcgi_pass} of the nginx configuration to the php-fpm pool listening there. */
final class PoolMappings {

    private PoolMappings() {
    }

    static List<PoolMapping> of(NginxSites sites, List<FpmService> fpms) {
        List<PoolMapping> out = new ArrayList<>();
        for (ServerBlock server : sites.servers()) {
            collect(server.locations(), primaryName(server), sites, fpms, out);
        }
        return List.copyOf(out);
    }

    static String primaryName(ServerBlock server) {
        return server.serverNames().isEmpty() || server.serverNames().getFirst().isEmpty()
                ? "_" : server.serverNames().getFirst();
    }

    private static void collect(List<Location> locations, String server, NginxSites sites, List<FpmService> fpms,
                                List<PoolMapping> out) {
        for (Location location : locations) {
            FastcgiPass pass = location.fastcgi();
            if (pass != null) {
                String where = location.modifier().isEmpty() ? location.path()
                        : location.modifier() + " " + location.path();
                for (String endpoint : endpoints(pass, sites)) {
                    out.add(match(server, where, pass.target(), endpoint, fpms));
                }
            }
            collect(location.locations(), server, sites, fpms, out);
        }
    }

    /** The sockets or addresses a pass sends to: an upstream stands for each of its servers. */
    private static List<String> endpoints(FastcgiPass pass, NginxSites sites) {
        if (pass.kind() != FastcgiPass.Kind.UPSTREAM) {
            return List.of(pass.target());
        }
        return sites.upstreams().stream().filter(u -> u.name().equals(pass.upstream())).findFirst()
                .map(Upstream::servers).filter(s -> !s.isEmpty()).orElse(List.of(pass.target()));
    }

    private static PoolMapping match(String server, String location, String target, String endpoint,
                                     List<FpmService> fpms) {
        for (FpmService fpm : fpms) {
            if (fpm.config() == null) {
                continue;
            }
            Optional<FpmPool> pool = fpm.config().poolListeningOn(endpoint);
            if (pool.isPresent()) {
                return new PoolMapping(server, location, target, endpoint, fpm.binary(), pool.get().name());
            }
        }
        return new PoolMapping(server, location, target, endpoint, null, null);
    }
}
