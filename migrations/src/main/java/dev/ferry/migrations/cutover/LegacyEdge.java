package dev.ferry.migrations.cutover;

import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.inventory.nginx.Directive;
import dev.ferry.migrations.inventory.nginx.NginxConfigParser;
import dev.ferry.migrations.inventory.nginx.NginxDump;
import dev.ferry.migrations.inventory.nginx.ServerBlock;
import dev.ferry.migrations.plan.NginxWriter;
import dev.ferry.migrations.verify.Ingress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The legacy nginx as the cutover leaves it: every migrated server block of the host's configuration files is
 * replaced by one that keeps its listens, names and TLS settings (TLS still ends at the legacy edge) and hands
 * every request to the cluster's ingress with the Host and X-Forwarded-* headers kept; or, during the final copy,
 * by one that answers 503 with Retry-After. Everything else in those files stays as it was. Pure: the files come
 * from the inventory, the result is text for {@link EdgeSwitch} to put in place.
 */
public final class LegacyEdge {

    /** Server-level directives a replacement keeps: how clients reach the site and how TLS ends. */
    private static final Set<String> KEPT = Set.of("listen", "server_name", "http2", "client_max_body_size",
            "large_client_header_buffers", "client_header_buffer_size", "access_log", "error_log");

    private LegacyEdge() {
    }

    /**
     * One configuration file of the legacy host in its three forms, one char per byte (ISO-8859-1).
     *
     * @param path        as nginx includes it (a symlink in sites-enabled is followed when written)
     * @param original    as it was on the host when the cutover began
     * @param maintenance its migrated server blocks answer 503
     * @param proxy       its migrated server blocks proxy to the cluster
     */
    public record EdgeFile(String path, String original, String maintenance, String proxy) {

        public String content(EdgeState state) {
            return switch (state) {
                case ORIGINAL -> original;
                case MAINTENANCE -> maintenance;
                case PROXY -> proxy;
            };
        }
    }

    /** The forms the legacy edge can be in. A closed set: the cutover moves between exactly these. */
    public enum EdgeState {
        ORIGINAL, MAINTENANCE, PROXY
    }

    /**
     * The files the cutover changes, the nginx binary that checks them, its pid file to signal, and the directory
     * on the host that keeps the originals.
     */
    public record Edge(List<EdgeFile> files, String nginx, String pidFile, String backupDir) {
        public Edge {
            files = List.copyOf(files);
        }
    }

    /**
     * @param onHost      the bytes of each configuration file with migrated server blocks, as read from the host
     *                    now: they are what a rollback restores, byte for byte
     * @param migrationId names the upstreams and the backup directory, so two migrations' edges never mix
     * @throws IllegalArgumentException when a file is missing or changed since the inventory (the plan, the
     *                                  images and the checks were made from the inventory's text)
     */
    public static Edge plan(Inventory inventory, Map<String, byte[]> onHost, long migrationId,
            CutoverSettings settings) {
        Ingress ingress = settings.ingress();
        if (!ingress.configured()) {
            throw new IllegalArgumentException("the cutover needs the cluster's ingress address: set "
                    + "cutover.ingressAddress in ferry.yaml");
        }
        Map<String, Set<Integer>> serverLines = new TreeMap<>();
        for (ServerBlock server : inventory.nginx().config().servers()) {
            serverLines.computeIfAbsent(server.file(), f -> new TreeSet<>()).add(server.line());
        }
        Map<String, String> contents = inventory.nginx().configFiles().stream()
                .collect(Collectors.toMap(NginxDump.ConfigFile::path, NginxDump.ConfigFile::content, (a, b) -> a));
        String prefix = "ferry_m" + migrationId + "_";
        List<EdgeFile> files = new ArrayList<>();
        boolean upstreamsWritten = false;
        for (var entry : serverLines.entrySet()) {
            String path = entry.getKey();
            String inventoried = contents.get(path);
            if (inventoried == null) {
                throw new IllegalArgumentException("the inventory has server blocks in " + path
                        + " but not the file's text; take the inventory again");
            }
            byte[] bytes = onHost.get(path);
            if (bytes == null) {
                throw new IllegalArgumentException(path + " is gone from the host since the inventory");
            }
            if (!new String(bytes, StandardCharsets.UTF_8).stripTrailing().equals(inventoried.stripTrailing())) {
                throw new IllegalArgumentException(path + " changed on the host since the inventory; the plan was "
                        + "made from the old text: start a new migration to take the change along");
            }
            // One char per byte: whatever the file's encoding, writing it back gives the same bytes.
            String original = new String(bytes, StandardCharsets.ISO_8859_1);
            List<Directive> parsed = NginxConfigParser.parse(original, path);
            List<Directive> upstreams = upstreamsWritten ? List.of() : upstreams(prefix, ingress);
            String maintenance = NginxWriter.write(replace(parsed, entry.getValue(),
                    s -> maintenanceServer(s, settings.retryAfterSeconds()), List.of()));
            String proxy = NginxWriter.write(replace(parsed, entry.getValue(), s -> proxyServer(s, prefix), upstreams));
            upstreamsWritten = true;
            files.add(new EdgeFile(path, original, maintenance, proxy));
        }
        return new Edge(files, nginxBinary(inventory), pidFile(inventory),
                "/var/backups/ferry/migration-" + migrationId);
    }

    /** The binary {@code nginx -V} named, else the one on root's PATH. */
    static String nginxBinary(Inventory inventory) {
        String sbin = inventory.nginx().build().sbinPath();
        return sbin != null && sbin.startsWith("/") ? sbin : "nginx";
    }

    /** Where the running master wrote its pid: the main file's {@code pid}, else the build's default. */
    static String pidFile(Inventory inventory) {
        for (Directive d : new NginxDump(inventory.nginx().configFiles()).effective()) {
            if (d.name().equals("pid") && d.arg(0) != null) {
                String prefix = inventory.nginx().build().prefix();
                return d.arg(0).startsWith("/") || prefix == null ? d.arg(0)
                        : prefix.replaceAll("/+$", "") + "/" + d.arg(0);
            }
        }
        String built = inventory.nginx().build().pidPath();
        return built != null ? built : "/run/nginx.pid";
    }

    /**
     * The directives with each migrated server block (by line) replaced; {@code before} goes in just before the
     * first replaced block, in the same (http) context.
     */
    private static List<Directive> replace(List<Directive> directives, Set<Integer> lines,
            java.util.function.UnaryOperator<Directive> replacement, List<Directive> before) {
        List<Directive> out = new ArrayList<>();
        List<Directive> pending = new ArrayList<>(before);
        replaceInto(out, directives, lines, replacement, pending);
        return out;
    }

    private static void replaceInto(List<Directive> out, List<Directive> directives, Set<Integer> lines,
            java.util.function.UnaryOperator<Directive> replacement, List<Directive> pending) {
        for (Directive d : directives) {
            if (d.name().equals("server") && d.block() != null && lines.contains(d.line())) {
                out.addAll(pending);
                pending.clear();
                out.add(replacement.apply(d));
            } else if (d.name().equals("http") && d.block() != null) {
                List<Directive> inner = new ArrayList<>();
                replaceInto(inner, d.block(), lines, replacement, pending);
                out.add(new Directive(d.name(), d.args(), inner, d.file(), d.line()));
            } else {
                out.add(d);
            }
        }
    }

    private static List<Directive> kept(Directive server) {
        return server.block().stream().filter(d -> KEPT.contains(d.name()) || d.name().startsWith("ssl_")).toList();
    }

    private static Directive proxyServer(Directive server, String prefix) {
        List<Directive> block = new ArrayList<>(kept(server));
        List<Directive> location = List.of(
                d("proxy_pass", "$scheme://" + prefix + "$scheme"),
                d("proxy_http_version", "1.1"),
                d("proxy_set_header", "Connection", ""),
                d("proxy_set_header", "Host", "$host"),
                d("proxy_set_header", "X-Real-IP", "$remote_addr"),
                d("proxy_set_header", "X-Forwarded-For", "$proxy_add_x_forwarded_for"),
                d("proxy_set_header", "X-Forwarded-Proto", "$scheme"),
                d("proxy_set_header", "X-Forwarded-Host", "$host"),
                d("proxy_set_header", "X-Forwarded-Port", "$server_port"),
                // The cluster's nginx serves the same server blocks over TLS: it must see the site's name.
                d("proxy_ssl_server_name", "on"),
                d("proxy_ssl_name", "$host"),
                d("proxy_redirect", "off"));
        block.add(new Directive("location", List.of("/"), location, server.file(), 0));
        return new Directive("server", List.of(), block, server.file(), server.line());
    }

    private static Directive maintenanceServer(Directive server, int retryAfterSeconds) {
        List<Directive> block = new ArrayList<>(kept(server));
        block.add(new Directive("location", List.of("/"), List.of(
                d("add_header", "Retry-After", Integer.toString(retryAfterSeconds), "always"),
                d("return", "503")), server.file(), 0));
        return new Directive("server", List.of(), block, server.file(), server.line());
    }

    /** One upstream per scheme, so that {@code $scheme://<prefix>$scheme} picks the ingress port for it. */
    private static List<Directive> upstreams(String prefix, Ingress ingress) {
        String host = ingress.address().contains(":") && !ingress.address().startsWith("[")
                ? "[" + ingress.address() + "]" : ingress.address();
        List<Directive> out = new ArrayList<>();
        for (String scheme : List.of("http", "https")) {
            out.add(new Directive("upstream", List.of(prefix + scheme), List.of(
                    d("server", host + ":" + ingress.port(scheme)),
                    d("keepalive", "16")), null, 0));
        }
        return out;
    }

    private static Directive d(String name, String... args) {
        return new Directive(name, List.of(args), null, null, 0);
    }
}
