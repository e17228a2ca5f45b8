package dev.ferry.migrations.plan;

import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.inventory.PoolMapping;
import dev.ferry.migrations.inventory.nginx.Directive;
import dev.ferry.migrations.inventory.nginx.Location;
import dev.ferry.migrations.inventory.nginx.NginxDump;
import dev.ferry.migrations.inventory.nginx.NginxPaths;
import dev.ferry.migrations.inventory.nginx.NginxSites;
import dev.ferry.migrations.inventory.nginx.ServerBlock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the legacy nginx configuration into the new one, site by site: the same server blocks and locations,
 * with files moved under the layout's per-site directories, FastCGI sent to each pool's Service, TLS files
 * and logs in per-site directories, includes inlined, and listens on all addresses (a pod has one). Pure.
 */
public final class NginxPlanner {

    private NginxPlanner() {
    }

    public static NginxPlan plan(Inventory inventory, Layout layout) {
        List<Problem> problems = new ArrayList<>();
        if (inventory.nginx().config() == null || inventory.nginx().configFiles().isEmpty()) {
            problems.add(new Problem(Problem.Severity.BLOCKING, null, "no-nginx-config",
                    "the inventory has no nginx configuration; fix the nginx -T warning and take it again"));
            return new NginxPlan(List.of(), "", List.of(), problems);
        }
        List<Directive> effective = new NginxDump(inventory.nginx().configFiles()).effective();
        NginxSites model = NginxSites.from(effective);
        List<Directive> serverTrees = new ArrayList<>();
        List<Directive> upstreamTrees = new ArrayList<>();
        for (Directive d : effective) {
            if (d.name().equals("http") && d.block() != null) {
                for (Directive h : d.block()) {
                    if (h.name().equals("server") && h.block() != null) {
                        serverTrees.add(h);
                    } else if (h.name().equals("upstream") && h.block() != null) {
                        upstreamTrees.add(h);
                    }
                }
            }
        }
        Map<String, List<Integer>> bySite = new LinkedHashMap<>();
        for (int i = 0; i < model.servers().size(); i++) {
            bySite.computeIfAbsent(siteName(model.servers().get(i)), k -> new ArrayList<>()).add(i);
        }
        Map<String, String> upstreamPools = new LinkedHashMap<>();
        List<SitePlan> sites = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> site : bySite.entrySet()) {
            sites.add(site(site.getKey(), site.getValue(), model, serverTrees, inventory, layout, upstreamPools,
                    problems));
        }
        List<Directive> upstreams = new ArrayList<>();
        for (Directive u : upstreamTrees) {
            String pool = upstreamPools.get(u.arg(0));
            if (pool != null) {
                upstreams.add(new Directive("upstream", u.args(), List.of(new Directive("server",
                        List.of(layout.phpEndpoint().apply(pool)), null, u.file(), u.line())), u.file(), u.line()));
            }
        }
        List<String> modules = model.loadModules().stream()
                .map(m -> m.substring(m.lastIndexOf('/') + 1)).toList();
        return new NginxPlan(sites, NginxWriter.write(upstreams), modules, problems);
    }

    /** The site a server block belongs to: its first name, made a file name; {@code default} for a catch-all. */
    public static String siteName(ServerBlock server) {
        String first = server.serverNames().isEmpty() ? "_" : server.serverNames().getFirst();
        return first.equals("_") || first.isEmpty() ? "default" : first.toLowerCase().replaceAll("[^a-z0-9.-]", "_");
    }

    private static SitePlan site(String name, List<Integer> indexes, NginxSites model, List<Directive> trees,
                                 Inventory inventory, Layout layout, Map<String, String> upstreamPools,
                                 List<Problem> problems) {
        List<ServerBlock> servers = indexes.stream().map(model.servers()::get).toList();
        Set<String> names = new LinkedHashSet<>();
        servers.forEach(s -> names.addAll(s.serverNames()));
        Map<String, String> paths = paths(name, servers, layout);
        Map<String, String> tls = new LinkedHashMap<>();
        Set<String> pools = new LinkedHashSet<>();
        Map<String, String> poolOfTarget = new LinkedHashMap<>();
        for (PoolMapping m : inventory.poolMappings()) {
            if (names.contains(m.server()) && m.pool() != null) {
                poolOfTarget.putIfAbsent(m.fastcgiTarget(), m.pool());
            }
        }
        Rewrite rewrite = new Rewrite(name, layout, paths, tls, poolOfTarget, pools, model.upstreams(),
                upstreamPools, problems);
        List<Directive> rendered = new ArrayList<>();
        for (int i : indexes) {
            rendered.add(rewrite.directive(withInherited(trees.get(i), model.servers().get(i))));
        }
        List<SitePlan.PathMapping> pathList = paths.entrySet().stream()
                .map(e -> new SitePlan.PathMapping(e.getKey(), e.getValue())).toList();
        List<SitePlan.PathMapping> tlsList = tls.entrySet().stream()
                .map(e -> new SitePlan.PathMapping(e.getKey(), e.getValue())).toList();
        return new SitePlan(name, List.copyOf(names), !pools.isEmpty(), List.copyOf(pools), pathList, tlsList,
                "conf.d/" + name + ".conf", "# " + name + ": rendered by Ferry from the legacy configuration\n"
                        + NginxWriter.write(rendered));
    }

    /**
     * The server block with the root and index it inherited from http written into it: the site file stands
     * alone in the new nginx, whose http block is the official image's.
     */
    private static Directive withInherited(Directive server, ServerBlock model) {
        List<Directive> block = new ArrayList<>();
        boolean hasRoot = server.block().stream().anyMatch(d -> d.name().equals("root"));
        boolean hasIndex = server.block().stream().anyMatch(d -> d.name().equals("index"));
        if (!hasRoot && model.root() != null) {
            block.add(new Directive("root", List.of(model.root()), null, server.file(), server.line()));
        }
        if (!hasIndex && !model.index().equals(List.of("index.html"))) {
            block.add(new Directive("index", model.index(), null, server.file(), server.line()));
        }
        block.addAll(server.block());
        return new Directive(server.name(), server.args(), block, server.file(), server.line());
    }

    /**
     * Each directory the site serves from gets a place under {@code webRoot/site}: the server root is
     * {@code root}, other directories keep their last path segment, and a directory inside one already placed
     * stays inside it.
     */
    private static Map<String, String> paths(String site, List<ServerBlock> servers, Layout layout) {
        Set<String> dirs = new LinkedHashSet<>();
        List<String> roots = new ArrayList<>();
        for (ServerBlock s : servers) {
            if (s.root() != null) {
                roots.add(NginxPaths.directory(s.root()));
            }
            collect(s.locations(), dirs);
        }
        Map<String, String> out = new LinkedHashMap<>();
        String base = layout.webRoot() + "/" + site;
        List<String> all = new ArrayList<>(roots);
        all.addAll(dirs);
        all.removeIf(d -> d.contains("$"));
        all.sort(Comparator.comparingInt(String::length));
        Set<String> taken = new LinkedHashSet<>();
        for (String dir : all) {
            if (out.containsKey(dir)) {
                continue;
            }
            String parent = out.keySet().stream().filter(p -> dir.startsWith(p + "/")).findFirst().orElse(null);
            if (parent != null) {
                out.put(dir, out.get(parent) + dir.substring(parent.length()));
                continue;
            }
            String slot = roots.contains(dir) && !taken.contains("root") ? "root"
                    : dir.substring(dir.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
            String unique = slot.isEmpty() ? "dir" : slot;
            for (int n = 2; taken.contains(unique); n++) {
                unique = slot + "-" + n;
            }
            taken.add(unique);
            out.put(dir, base + "/" + unique);
        }
        // Server roots first, then the rest by path: the order reads well and does not depend on lengths.
        Map<String, String> ordered = new LinkedHashMap<>();
        roots.stream().filter(out::containsKey).forEach(r -> ordered.put(r, out.get(r)));
        out.keySet().stream().sorted().forEach(k -> ordered.putIfAbsent(k, out.get(k)));
        return ordered;
    }

    private static void collect(List<Location> locations, Set<String> dirs) {
        for (Location l : locations) {
            if (l.root() != null) {
                dirs.add(NginxPaths.directory(l.root()));
            }
            if (l.alias() != null) {
                dirs.add(NginxPaths.directory(l.alias()));
            }
            collect(l.locations(), dirs);
        }
    }
}
