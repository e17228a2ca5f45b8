package dev.ferry.migrations.inventory.nginx;

import java.util.ArrayList;
import java.util.List;

/**
 * The sites an nginx configuration serves: its {@code server} blocks with what each location does, its upstreams,
 * the modules it loads and the module directives it uses. Built from the effective configuration (includes
 * inlined); inheritance (root, index, TLS files, FastCGI params) is resolved the way nginx resolves it.
 *
 * @param loadModules           the {@code load_module} paths, in order
 * @param httpModuleDirectives  module directives at http level
 */
public record NginxSites(List<String> loadModules, List<ServerBlock> servers, List<Upstream> upstreams,
                         List<ModuleUse> httpModuleDirectives) {

    public NginxSites {
        loadModules = List.copyOf(loadModules);
        servers = List.copyOf(servers);
        upstreams = List.copyOf(upstreams);
        httpModuleDirectives = List.copyOf(httpModuleDirectives);
    }

    /** What a block inherits from the blocks around it. */
    private record Scope(String root, List<String> index, String sslCertificate, String sslCertificateKey,
                         String sslDhparam, String sslTrustedCertificate, List<Directive> fastcgiParams,
                         String splitPathInfo, String fastcgiIndex) {

        static final Scope MAIN = new Scope(null, List.of(), null, null, null, null, List.of(), null, null);

        Scope enter(List<Directive> block) {
            List<Directive> params = block.stream().filter(d -> d.name().equals("fastcgi_param")).toList();
            return new Scope(value(block, "root", root), values(block, "index", index),
                    value(block, "ssl_certificate", sslCertificate), value(block, "ssl_certificate_key",
                    sslCertificateKey), value(block, "ssl_dhparam", sslDhparam),
                    value(block, "ssl_trusted_certificate", sslTrustedCertificate),
                    params.isEmpty() ? fastcgiParams : params, value(block, "fastcgi_split_path_info", splitPathInfo),
                    value(block, "fastcgi_index", fastcgiIndex));
        }

        String param(String name) {
            String found = null;
            for (Directive p : fastcgiParams) {
                if (name.equals(p.arg(0))) {
                    found = p.arg(1);
                }
            }
            return found;
        }
    }

    public static NginxSites from(List<Directive> effective) {
        List<String> modules = new ArrayList<>();
        List<ServerBlock> servers = new ArrayList<>();
        List<Upstream> upstreams = new ArrayList<>();
        List<ModuleUse> httpModules = new ArrayList<>();
        for (Directive d : effective) {
            if (d.name().equals("load_module") && d.arg(0) != null) {
                modules.add(d.arg(0));
            } else if (d.name().equals("http") && d.block() != null) {
                Scope http = Scope.MAIN.enter(d.block());
                for (Directive h : d.block()) {
                    if (h.name().equals("server") && h.block() != null) {
                        servers.add(server(h, http.enter(h.block())));
                    } else if (h.name().equals("upstream") && h.block() != null && h.arg(0) != null) {
                        upstreams.add(new Upstream(h.arg(0), h.block().stream()
                                .filter(s -> s.name().equals("server") && s.arg(0) != null).map(s -> s.arg(0))
                                .toList()));
                    } else {
                        httpModules.addAll(ModuleDirectives.of(h.name()));
                    }
                }
            }
        }
        return new NginxSites(modules, servers, upstreams, httpModules);
    }

    private static ServerBlock server(Directive server, Scope scope) {
        List<Directive> block = server.block();
        List<Listen> listens = new ArrayList<>();
        boolean http2 = false;
        List<String> names = new ArrayList<>();
        List<Location> locations = new ArrayList<>();
        List<String> rewrites = new ArrayList<>();
        List<String> accessLogs = new ArrayList<>();
        List<String> errorLogs = new ArrayList<>();
        List<ModuleUse> modules = new ArrayList<>();
        String ret = null;
        for (Directive d : withIfs(block)) {
            switch (d.name()) {
                case "listen" -> listens.add(Listen.parse(d));
                case "http2" -> http2 = "on".equals(d.arg(0));
                case "server_name" -> names.addAll(d.args());
                case "location" -> {
                    if (d.block() != null) {
                        locations.add(location(d, scope));
                    }
                }
                case "rewrite" -> rewrites.add(String.join(" ", d.args()));
                case "return" -> ret = ret == null ? String.join(" ", d.args()) : ret;
                case "access_log" -> accessLogs.add(String.join(" ", d.args()));
                case "error_log" -> errorLogs.add(String.join(" ", d.args()));
                default -> modules.addAll(ModuleDirectives.of(d.name()));
            }
        }
        if (listens.isEmpty()) {
            listens.add(Listen.DEFAULT);
        }
        if (http2) {
            listens.replaceAll(Listen::withHttp2);
        }
        return new ServerBlock(server.file(), server.line(), listens, names, scope.root(),
                scope.index().isEmpty() ? List.of("index.html") : scope.index(), scope.sslCertificate(),
                scope.sslCertificateKey(), scope.sslDhparam(), scope.sslTrustedCertificate(), locations, modules, ret,
                rewrites, accessLogs, errorLogs);
    }

    private static Location location(Directive d, Scope outer) {
        String modifier = "";
        String path;
        if (d.args().size() >= 2) {
            modifier = d.arg(0);
            path = d.arg(1);
        } else {
            path = d.args().isEmpty() ? "" : d.arg(0);
            for (String m : List.of("=", "~*", "^~", "~", "@")) {
                if (path.startsWith(m) && path.length() > m.length()) {
                    modifier = m;
                    path = m.equals("@") ? path.substring(1) : path.substring(m.length());
                    break;
                }
            }
        }
        Scope scope = outer.enter(d.block());
        String root = null;
        String alias = null;
        List<String> index = new ArrayList<>();
        List<String> tryFiles = new ArrayList<>();
        String fastcgiTarget = null;
        String proxyPass = null;
        String ret = null;
        List<String> rewrites = new ArrayList<>();
        List<ModuleUse> modules = new ArrayList<>();
        List<Location> nested = new ArrayList<>();
        for (Directive x : withIfs(d.block())) {
            switch (x.name()) {
                case "root" -> root = x.arg(0);
                case "alias" -> alias = x.arg(0);
                case "index" -> index.addAll(x.args());
                case "try_files" -> tryFiles.addAll(x.args());
                case "fastcgi_pass" -> fastcgiTarget = x.arg(0);
                case "proxy_pass" -> proxyPass = x.arg(0);
                case "return" -> ret = ret == null ? String.join(" ", x.args()) : ret;
                case "rewrite" -> rewrites.add(String.join(" ", x.args()));
                case "location" -> {
                    if (x.block() != null) {
                        nested.add(location(x, scope));
                    }
                }
                default -> modules.addAll(ModuleDirectives.of(x.name()));
            }
        }
        FastcgiPass fastcgi = fastcgiTarget == null ? null : fastcgi(fastcgiTarget, scope);
        return new Location(modifier, path, root, alias, index, tryFiles, fastcgi, proxyPass, ret, rewrites, modules,
                nested);
    }

    private static FastcgiPass fastcgi(String target, Scope scope) {
        FastcgiPass.Kind kind;
        String socket = null;
        String host = null;
        Integer port = null;
        String upstream = null;
        if (target.startsWith("unix:")) {
            kind = FastcgiPass.Kind.UNIX;
            socket = target.substring(5);
        } else if (target.contains("$")) {
            kind = FastcgiPass.Kind.UPSTREAM;
            upstream = target;
        } else {
            int colon = target.lastIndexOf(':');
            String maybePort = colon >= 0 ? target.substring(colon + 1) : "";
            if (colon > 0 && !maybePort.isEmpty() && maybePort.chars().allMatch(Character::isDigit)
                    && maybePort.length() <= 5) {
                kind = FastcgiPass.Kind.TCP;
                host = target.substring(0, colon).replace("[", "").replace("]", "");
                port = Integer.parseInt(maybePort);
            } else {
                // A name without a port can only be an upstream block's (nginx refuses it otherwise).
                kind = FastcgiPass.Kind.UPSTREAM;
                upstream = target;
            }
        }
        return new FastcgiPass(target, kind, socket, host, port, upstream, scope.param("SCRIPT_FILENAME"),
                scope.param("PATH_INFO"), scope.splitPathInfo(), scope.fastcgiIndex());
    }

    /** A block's directives with those inside its {@code if} blocks, which act in the same place. */
    private static List<Directive> withIfs(List<Directive> block) {
        List<Directive> out = new ArrayList<>();
        for (Directive d : block) {
            if (d.name().equals("if") && d.block() != null) {
                out.addAll(withIfs(d.block()));
            } else {
                out.add(d);
            }
        }
        return out;
    }

    private static String value(List<Directive> block, String name, String inherited) {
        String found = inherited;
        for (Directive d : block) {
            if (d.name().equals(name) && d.arg(0) != null) {
                found = d.name().equals("fastcgi_split_path_info") ? d.arg(0) : String.join(" ", d.args());
            }
        }
        return found;
    }

    private static List<String> values(List<Directive> block, String name, List<String> inherited) {
        List<String> own = new ArrayList<>();
        for (Directive d : block) {
            if (d.name().equals(name)) {
                own.addAll(d.args());
            }
        }
        return own.isEmpty() ? inherited : own;
    }
}
