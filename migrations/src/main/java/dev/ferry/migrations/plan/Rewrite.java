package dev.ferry.migrations.plan;

import dev.ferry.migrations.inventory.nginx.Directive;
import dev.ferry.migrations.inventory.nginx.Listen;
import dev.ferry.migrations.inventory.nginx.NginxPaths;
import dev.ferry.migrations.inventory.nginx.Upstream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The directive-by-directive changes that move one site's server blocks into the new layout. */
final class Rewrite {

    private static final Set<String> TLS = Set.of("ssl_certificate", "ssl_certificate_key", "ssl_dhparam",
            "ssl_trusted_certificate", "ssl_client_certificate", "ssl_crl", "ssl_stapling_file");

    private final String site;
    private final Layout layout;
    private final Map<String, String> paths;
    private final Map<String, String> tls;
    private final Map<String, String> poolOfTarget;
    private final Set<String> pools;
    private final List<Upstream> upstreams;
    private final Map<String, String> upstreamPools;
    private final List<Problem> problems;

    Rewrite(String site, Layout layout, Map<String, String> paths, Map<String, String> tls,
            Map<String, String> poolOfTarget, Set<String> pools, List<Upstream> upstreams,
            Map<String, String> upstreamPools, List<Problem> problems) {
        this.site = site;
        this.layout = layout;
        this.paths = paths;
        this.tls = tls;
        this.poolOfTarget = poolOfTarget;
        this.pools = pools;
        this.upstreams = upstreams;
        this.upstreamPools = upstreamPools;
        this.problems = problems;
    }

    Directive directive(Directive d) {
        List<Directive> block = d.block() == null ? null : d.block().stream().map(this::directive).toList();
        List<String> args = d.args();
        if (!args.isEmpty()) {
            args = switch (d.name()) {
                case "listen" -> listen(d);
                case "root" -> replaceFirst(args, path(args.getFirst(), false));
                case "alias" -> replaceFirst(args, path(args.getFirst(), true));
                case "fastcgi_pass" -> replaceFirst(args, fastcgi(args.getFirst()));
                case "access_log", "error_log" -> replaceFirst(args, log(args.getFirst()));
                default -> TLS.contains(d.name()) ? replaceFirst(args, tlsFile(args.getFirst())) : args;
            };
        }
        return new Directive(d.name(), args, block, d.file(), d.line());
    }

    private static List<String> replaceFirst(List<String> args, String first) {
        List<String> out = new ArrayList<>(args);
        out.set(0, first);
        return out;
    }

    /** A pod has one address: keep the port and the flags, drop the legacy address. */
    private List<String> listen(Directive d) {
        Listen listen = Listen.parse(d);
        String port = String.valueOf(listen.port());
        if (listen.unixPath() != null) {
            problems.add(new Problem(Problem.Severity.WARNING, site, "listen-unix-socket", "listen " + d.arg(0)
                    + " is a Unix socket on the legacy host; the new site listens on port 80 instead"));
            port = "80";
        }
        if (layout.listenAddress() != null) {
            return replaceFirst(d.args(), layout.listenAddress() + ":" + port);
        }
        return replaceFirst(d.args(), listen.ipv6() ? "[::]:" + port : port);
    }

    private String path(String legacy, boolean keepSlash) {
        if (legacy.contains("$")) {
            problems.add(new Problem(Problem.Severity.WARNING, site, "path-with-variable", legacy + " depends on a "
                    + "variable; it was left as it is and its files are not copied"));
            return legacy;
        }
        String normal = NginxPaths.directory(legacy);
        String best = null;
        for (String p : paths.keySet()) {
            if ((normal.equals(p) || normal.startsWith(p + "/")) && (best == null || p.length() > best.length())) {
                best = p;
            }
        }
        if (best == null) {
            return legacy;
        }
        String moved = paths.get(best) + normal.substring(best.length());
        return keepSlash && legacy.endsWith("/") ? moved + "/" : moved;
    }

    private String fastcgi(String target) {
        String pool = poolOfTarget.get(target);
        boolean upstream = upstreams.stream().anyMatch(u -> u.name().equals(target));
        if (pool == null) {
            problems.add(new Problem(Problem.Severity.BLOCKING, site, "fastcgi-without-pool", "fastcgi_pass "
                    + target + " reaches no php-fpm pool on the host (a remote backend?); Ferry cannot move it"));
            return target;
        }
        pools.add(pool);
        if (upstream) {
            upstreamPools.put(target, pool);
            return target;
        }
        return layout.phpEndpoint().apply(pool);
    }

    private String tlsFile(String legacy) {
        if (legacy.startsWith("data:") || legacy.contains("$")) {
            return legacy;
        }
        String target = layout.sslRoot() + "/" + site + "/" + legacy.substring(legacy.lastIndexOf('/') + 1);
        tls.put(legacy, target);
        return target;
    }

    private String log(String legacy) {
        if (!legacy.startsWith("/") || legacy.startsWith("/dev/")) {
            return legacy; // off, stderr, syslog:..., memory:...
        }
        return layout.logRoot() + "/" + site + "/" + legacy.substring(legacy.lastIndexOf('/') + 1);
    }
}
