package dev.ferry.daemon;

import dev.ferry.migrations.inventory.FpmService;
import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.inventory.php.FpmPool;
import dev.ferry.migrations.plan.Layout;
import dev.ferry.migrations.plan.NginxPlan;
import dev.ferry.migrations.plan.NginxPlanner;
import dev.ferry.migrations.plan.PhpPoolRenderer;
import dev.ferry.migrations.plan.SitePlan;
import dev.ferry.migrations.testhost.LegacyHost;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the cluster would serve, run here: the plan's nginx configuration (rendered with a {@link Layout} that
 * points into a working directory) served by a real nginx on a loopback address of its own with the legacy
 * ports, FastCGI going to a real php-fpm whose pools are rendered from the legacy ones ({@link PhpPoolRenderer})
 * and listen on that address too, the site files copied in. Tests use its address as the cluster's ingress.
 *
 * <p>nginx's workers and the pools run as www-data: every directory above the working directory must be
 * traversable by others (a JUnit {@code @TempDir} is not until the test opens it).
 */
public final class LocalCluster implements AutoCloseable {

    /** Where the site files come from: a directory for each of a site's paths. */
    @FunctionalInterface
    public interface SiteFiles {
        /**
         * @param path     the legacy directory and its target under the layout's web root
         * @param relative the target relative to the web root ({@code php.example.test/root}), as on the volume
         */
        Path source(SitePlan.PathMapping path, String relative);

        /** The legacy host's own directories. */
        static SiteFiles legacy(LegacyHost host) {
            return (path, relative) -> host.root().resolve(path.legacy().substring(1));
        }

        /** A web-data volume laid out as the plan says ({@code <site>/<slot>}): what a copy Job filled. */
        static SiteFiles volume(Path webData) {
            return (path, relative) -> webData.resolve(relative);
        }

        /**
         * The web-data volume itself, served where it is, so later copies into it show at once. Best as
         * {@code <dir>/web} of the cluster's own directory (PHP's paths then match the plan's).
         */
        static SiteFiles live(Path webData) {
            return new Live(webData);
        }
    }

    /** See {@link SiteFiles#live}. */
    private record Live(Path webData) implements SiteFiles {
        @Override
        public Path source(SitePlan.PathMapping path, String relative) {
            return webData.resolve(relative);
        }
    }

    private static final String PHP_FPM = "/usr/sbin/php-fpm8.2";
    private static final int FIRST_POOL_PORT = 9001;

    private final String address;
    private final Path dir;
    private final Path web;
    private final NginxPlan plan;
    private final Process nginx;
    private final Process php;

    private LocalCluster(String address, Path dir, Path web, NginxPlan plan, Process nginx, Process php) {
        this.address = address;
        this.web = web;
        this.dir = dir;
        this.plan = plan;
        this.nginx = nginx;
        this.php = php;
    }

    /**
     * Renders, fills and starts; on a loopback address taken here.
     *
     * @param host  the legacy host: its TLS files are copied
     * @param dir   the working directory, created if missing
     * @param files where the site files come from
     */
    public static LocalCluster start(LegacyHost host, Inventory inventory, Path dir, SiteFiles files)
            throws Exception {
        String address = takeLoopbackAddress();
        Process nginx = null;
        Process php = null;
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            requireTraversable(dir);
            Map<String, Integer> ports = poolPorts(inventory);
            NginxPlan plan = NginxPlanner.plan(inventory, layout(dir, address, ports));
            if (!plan.problems().isEmpty()) {
                throw new IllegalStateException("the plan for the local cluster has problems: " + plan.problems());
            }
            // What a copy Job writes into a live volume is what this cluster serves; else a copy of the files.
            Path web = files instanceof Live live ? live.webData() : dir.resolve("web");
            writeTree(plan, dir, host);
            if (!(files instanceof Live)) {
                fill(plan, dir, files);
            }
            if (!ports.isEmpty()) {
                writePools(inventory, dir, address, ports);
                php = inContainerPaths(web, PHP_FPM, "-F", "-y", dir.resolve("php-fpm.conf").toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("php-fpm.out").toFile()).start();
            }
            nginx = inContainerPaths(web, "/usr/sbin/nginx", "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString(),
                    "-g", "daemon off;").redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile())
                    .start();
            for (int port : listenPorts(plan)) {
                waitForPort(address, port, nginx, dir.resolve("nginx.out"), dir.resolve("error.log"));
            }
            for (int port : ports.values()) {
                waitForPort(address, port, php, dir.resolve("php-fpm.out"), dir.resolve("php-fpm.log"));
            }
            return new LocalCluster(address, dir, web, plan, nginx, php);
        } catch (Exception | AssertionError e) {
            stop(nginx, php, address);
            throw e;
        }
    }

    /**
     * A process that sees {@code web} at {@value #WEB_ROOT}, as the pods do (their own mount namespace: nothing else
     * on this machine sees it): PHP pages that print their own paths print what they would print in the cluster.
     */
    private static ProcessBuilder inContainerPaths(Path web, String... argv) {
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--", "sh",
                "-c", "mkdir -p " + WEB_ROOT + " && mount --bind \"$0\" " + WEB_ROOT + " && exec \"$@\"",
                web.toString()));
        command.addAll(List.of(argv));
        return new ProcessBuilder(command);
    }

    /** Where the pods mount the web-data volume, and where the local cluster's processes see its files. */
    static final String WEB_ROOT = "/srv/web";

    /** {@code target} of the plan on this machine's disk: the web root lives in {@code root/web}. */
    static Path onDisk(Path root, String target) {
        return target.startsWith(WEB_ROOT + "/") ? root.resolve("web").resolve(target.substring(WEB_ROOT.length() + 1))
                : Path.of(target);
    }

    /**
     * The layout of a local cluster in {@code dir}: site files at {@value #WEB_ROOT} as in the pods, logs and TLS
     * files in {@code dir}, FastCGI to each pool's port on the cluster's address.
     */
    public static Layout layout(Path dir, String address, Map<String, Integer> poolPorts) {
        return new Layout(WEB_ROOT, dir + "/log", dir + "/ssl", pool -> {
            Integer port = poolPorts.get(pool);
            if (port == null) {
                throw new IllegalStateException("no local port for pool " + pool + " (pools: " + poolPorts + ")");
            }
            return address + ":" + port;
        }, address);
    }

    /** The address nginx listens on, with the legacy ports: the test's ingress. */
    public String address() {
        return address;
    }

    /** The directory the site files were copied to, one directory per site. */
    public Path webRoot() {
        return web;
    }

    /** The plan's nginx part as this cluster runs it (its paths point into the working directory). */
    public NginxPlan plan() {
        return plan;
    }

    /**
     * Every line of every access log the sites write (the http-wide one and the sites' own), in file order: the
     * requests this nginx answered, so a test can tell which backend served one.
     */
    public List<String> accessLogLines() throws IOException {
        List<Path> logs = new ArrayList<>();
        logs.add(dir.resolve("access.log"));
        try (Stream<Path> walk = Files.walk(dir.resolve("log"))) {
            walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().contains("access"))
                    .sorted().forEach(logs::add);
        }
        List<String> lines = new ArrayList<>();
        for (Path log : logs) {
            if (Files.exists(log)) {
                lines.addAll(Files.readAllLines(log, StandardCharsets.ISO_8859_1));
            }
        }
        return lines;
    }

    /** Stops nginx and php-fpm and gives the address back; the working directory stays for the test to read. */
    @Override
    public void close() {
        stop(nginx, php, address);
    }

    /**
     * A runnable nginx tree under {@code root}: a main config loading the plan's modules from Debian's packages
     * and logging every request to {@code access.log}, the rendered site files, log directories, the TLS files
     * copied from the legacy host, and empty web directories.
     */
    public static void writeTree(NginxPlan plan, Path root, LegacyHost host) throws IOException {
        List<String> main = new ArrayList<>(List.of("user www-data;", "pid " + root + "/nginx.pid;",
                "error_log " + root + "/error.log;"));
        plan.modules().forEach(m -> main.add("load_module /usr/lib/nginx/modules/" + m + ";"));
        main.addAll(List.of("events {}", "http {", "    include /etc/nginx/mime.types;",
                "    default_type application/octet-stream;",
                "    log_format ferry '$server_addr:$server_port $scheme $host \"$request\" $status';",
                "    access_log " + root + "/access.log ferry;",
                "    include " + root + "/conf.d/*.conf;", "}"));
        Files.createDirectories(root.resolve("conf.d"));
        Files.write(root.resolve("nginx.conf"), main);
        Files.writeString(root.resolve("conf.d/00-upstreams.conf"), plan.upstreams());
        for (SitePlan site : plan.sites()) {
            Files.writeString(root.resolve(site.configFile()), site.config());
            Files.createDirectories(root.resolve("log").resolve(site.name()));
            for (SitePlan.PathMapping p : site.paths()) {
                Files.createDirectories(onDisk(root, p.target()).getParent());
            }
            for (SitePlan.PathMapping tls : site.tlsFiles()) {
                Files.createDirectories(Path.of(tls.target()).getParent());
                Files.copy(host.root().resolve(tls.legacy().substring(1)), Path.of(tls.target()));
            }
        }
    }

    /** Each site directory, copied with owners and modes ({@code cp -a}); one inside another comes with it. */
    private static void fill(NginxPlan plan, Path dir, SiteFiles files) throws Exception {
        Path web = dir.resolve("web");
        for (SitePlan site : plan.sites()) {
            for (SitePlan.PathMapping p : site.paths()) {
                Path target = onDisk(dir, p.target());
                if (Files.exists(target)) {
                    continue;
                }
                Path source = files.source(p, web.relativize(target).toString());
                if (!Files.isDirectory(source)) {
                    throw new IllegalStateException("no directory " + source + " for " + p.legacy() + " of "
                            + site.name());
                }
                run("cp", "-a", source.toString(), target.toString());
            }
        }
    }

    /** One port on the cluster's address for each pool of the host's php-fpm, by pool name. */
    private static Map<String, Integer> poolPorts(Inventory inventory) {
        List<FpmService> fpm = inventory.php() == null ? List.of() : inventory.php().fpm();
        if (fpm.size() > 1) {
            throw new IllegalStateException("the local cluster runs one php-fpm; the host has " + fpm.size());
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        if (!fpm.isEmpty()) {
            new TreeSet<>(fpm.getFirst().config().pools().stream().map(FpmPool::name).toList())
                    .forEach(name -> ports.put(name, FIRST_POOL_PORT + ports.size()));
        }
        return ports;
    }

    private static void writePools(Inventory inventory, Path dir, String address, Map<String, Integer> ports)
            throws IOException {
        StringBuilder fpm = new StringBuilder("[global]\npid = " + dir + "/php-fpm.pid\nerror_log = " + dir
                + "/php-fpm.log\n");
        for (FpmPool pool : inventory.php().fpm().getFirst().config().pools()) {
            fpm.append(PhpPoolRenderer.render(pool, address + ":" + ports.get(pool.name()), "www-data",
                    "www-data"));
        }
        Files.writeString(dir.resolve("php-fpm.conf"), fpm.toString());
    }

    private static List<Integer> listenPorts(NginxPlan plan) {
        TreeSet<Integer> ports = new TreeSet<>();
        for (SitePlan site : plan.sites()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*listen\\s+(?:\\S+:)?(\\d+)")
                    .matcher(site.config());
            while (m.find()) {
                ports.add(Integer.parseInt(m.group(1)));
            }
        }
        return List.copyOf(ports);
    }

    /**
     * A loopback address nobody else holds: {@code ip addr add} fails for an address already on {@code lo}, so two
     * test JVMs cannot take the same one.
     */
    public static String takeLoopbackAddress() throws Exception {
        int start = (int) (ProcessHandle.current().pid() % 200);
        for (int i = 0; i < 200; i++) {
            String candidate = "127.0.9." + (10 + (start + i) % 200);
            Process p = new ProcessBuilder("ip", "addr", "add", candidate + "/32", "dev", "lo")
                    .redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() == 0) {
                return candidate;
            }
            // Older iproute2 says "File exists", newer "Address already assigned".
            if (!said.contains("File exists") && !said.contains("already assigned")) {
                throw new IllegalStateException("ip addr add " + candidate + "/32 dev lo: " + said.strip());
            }
        }
        throw new IllegalStateException("no free loopback address in 127.0.9.10-209 for a local cluster");
    }

    private static void requireTraversable(Path dir) throws IOException {
        for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IllegalStateException("nginx's workers and the pools run as www-data and cannot pass " + p
                        + ": make it traversable (o+x) or work elsewhere");
            }
        }
    }

    private static void waitForPort(String address, int port, Process process, Path... logs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 500);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    StringBuilder said = new StringBuilder();
                    for (Path log : logs) {
                        if (Files.exists(log)) {
                            said.append("\n--- ").append(log).append('\n').append(Files.readString(log,
                                    StandardCharsets.ISO_8859_1));
                        }
                    }
                    throw new IllegalStateException(address + ":" + port + " never opened ("
                            + (process.isAlive() ? "still running" : "exited with " + process.exitValue()) + ")"
                            + said);
                }
                Thread.sleep(50);
            }
        }
    }

    private static void stop(Process nginx, Process php, String address) {
        for (Process p : new Process[] {nginx, php}) {
            if (p != null) {
                p.destroy();
            }
        }
        try {
            for (Process p : new Process[] {nginx, php}) {
                if (p != null && !p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        releaseLoopbackAddress(address);
    }

    /** Gives back an address {@link #takeLoopbackAddress} took. */
    public static void releaseLoopbackAddress(String address) {
        try {
            new ProcessBuilder("ip", "addr", "del", address + "/32", "dev", "lo").start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove " + address + " from lo: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + out.strip());
        }
    }
}
