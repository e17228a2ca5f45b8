package dev.ferry.migrations.verify;

import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.inventory.files.RootFacts;
import dev.ferry.migrations.inventory.nginx.Listen;
import dev.ferry.migrations.inventory.nginx.Location;
import dev.ferry.migrations.inventory.nginx.NginxPaths;
import dev.ferry.migrations.inventory.nginx.ServerBlock;
import dev.ferry.migrations.plan.NginxPlanner;
import dev.ferry.migrations.plan.Plan;
import dev.ferry.migrations.plan.SitePlan;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The requests that tell whether the cluster serves a host's sites as the host does. For every site, every
 * scheme and port it listens on, under a name a client can send: the site's root, its index file, a static file
 * and a PHP page from its root (from the inventory's samples), and each aliased directory. A server that only
 * redirects ({@code return 301 ...}) gets its root only. Pure; the same inventory and plan give the same probes
 * in the same order.
 */
public final class Probes {

    private static final Set<String> STATIC_EXTENSIONS = Set.of("css", "js", "png", "jpg", "gif", "svg", "txt",
            "html");

    private Probes() {
    }

    public static List<Probe> derive(Inventory inventory, Plan plan) {
        if (inventory.nginx() == null || inventory.nginx().config() == null) {
            return List.of();
        }
        Map<String, RootFacts> roots = new LinkedHashMap<>();
        inventory.roots().forEach(r -> roots.putIfAbsent(NginxPaths.directory(r.path()), r));
        Map<String, Probe> probes = new LinkedHashMap<>();
        for (SitePlan site : plan.sites()) {
            for (ServerBlock server : inventory.nginx().config().servers()) {
                if (!NginxPlanner.siteName(server).equals(site.name())) {
                    continue;
                }
                String name = server.serverNames().stream().filter(Probes::requestable).findFirst().orElse(null);
                if (name == null) {
                    continue;
                }
                for (Listen listen : server.listens()) {
                    if (listen.unixPath() != null) {
                        continue;
                    }
                    String scheme = listen.ssl() ? "https" : "http";
                    for (Page page : pages(server, site.php(), roots)) {
                        Probe p = Probe.of(site.name(), scheme, name.toLowerCase(), listen.port(), page.path(),
                                page.kind());
                        probes.putIfAbsent(p.id(), p);
                    }
                }
            }
        }
        return List.copyOf(probes.values());
    }

    private record Page(String path, Probe.Kind kind) {
    }

    private static List<Page> pages(ServerBlock server, boolean php, Map<String, RootFacts> roots) {
        // A PHP site's root usually ends in a script (index.php, or try_files falling back to it).
        Probe.Kind rootKind = php ? Probe.Kind.DYNAMIC : Probe.Kind.STATIC;
        List<Page> pages = new ArrayList<>(List.of(new Page("/", rootKind)));
        if (server.returnDirective() != null) {
            return pages;
        }
        String index = server.index().isEmpty() ? null : server.index().getFirst();
        if (index != null && !index.contains("$")) {
            index = index.startsWith("/") ? index.substring(1) : index;
            pages.add(new Page(encode(index), kindOf(index, php)));
        }
        RootFacts root = server.root() == null ? null : roots.get(NginxPaths.directory(server.root()));
        if (root != null) {
            String indexFile = index;
            List<String> others = root.sampleFiles().stream().filter(f -> !f.equals(indexFile)).toList();
            others.stream().filter(f -> STATIC_EXTENSIONS.contains(extension(f))).findFirst()
                    .ifPresent(f -> pages.add(new Page(encode(f), Probe.Kind.STATIC)));
            if (php) {
                others.stream().filter(f -> extension(f).equals("php")).findFirst()
                        .ifPresent(f -> pages.add(new Page(encode(f), Probe.Kind.DYNAMIC)));
            }
        }
        for (Location l : flatten(server.locations())) {
            if (l.alias() != null && (l.modifier().isEmpty() || l.modifier().equals("^~"))
                    && l.path().startsWith("/")) {
                pages.add(new Page(encode(l.path().substring(1)), Probe.Kind.STATIC));
            }
        }
        return pages;
    }

    private static Probe.Kind kindOf(String file, boolean php) {
        return php && extension(file).equals("php") ? Probe.Kind.DYNAMIC : Probe.Kind.STATIC;
    }

    private static List<Location> flatten(List<Location> locations) {
        List<Location> out = new ArrayList<>();
        for (Location l : locations) {
            out.add(l);
            out.addAll(flatten(l.locations()));
        }
        return out;
    }

    /** A name a client can put in a Host header: not a catch-all, a regular expression or a wildcard. */
    static boolean requestable(String name) {
        return !name.isEmpty() && !name.equals("_") && !name.startsWith("~") && !name.contains("*")
                && !name.contains("$") && !name.startsWith(".") && name.matches("[A-Za-z0-9.-]+");
    }

    private static String extension(String file) {
        String name = file.substring(file.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }

    /**
     * {@code /} followed by the relative path, each byte outside RFC 3986's unreserved characters and the
     * sub-delimiters a path may hold written as {@code %XX} ({@code read me.txt} -> {@code /read%20me.txt}).
     */
    static String encode(String relative) {
        StringBuilder out = new StringBuilder("/");
        for (byte b : relative.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
