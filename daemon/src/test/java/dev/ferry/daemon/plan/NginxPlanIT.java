package dev.ferry.daemon.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.daemon.LegacyHosts;
import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.plan.Layout;
import dev.ferry.migrations.plan.NginxPlan;
import dev.ferry.migrations.plan.NginxPlanner;
import dev.ferry.migrations.plan.Problem;
import dev.ferry.migrations.plan.SitePlan;
import dev.ferry.migrations.testhost.LegacyHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planner's nginx configuration for a real legacy host, checked by a real nginx: the rendered site files,
 * with the layout mapped into a temporary directory and the host's dynamic modules loaded from Debian's
 * packages, pass {@code nginx -t}.
 */
class NginxPlanIT {

    static LegacyHost host;
    static Inventory inventory;
    @TempDir
    static Path dir;

    @BeforeAll
    static void inventory() {
        host = LegacyHost.start();
        inventory = LegacyHosts.inventory(host);
        assertThat(inventory.warnings()).isEmpty();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    static Layout local(Path root) {
        return new Layout(root + "/web", root + "/log", root + "/ssl", pool -> "127.0.0.1:" + (19000 + pool.length()),
                null);
    }

    @Test
    void everyRenderedSitePassesNginxTest() throws Exception {
        Path root = dir.resolve("nginx");
        NginxPlan plan = NginxPlanner.plan(inventory, local(root));
        assertThat(plan.problems()).noneMatch(p -> p.severity() == Problem.Severity.BLOCKING);
        assertThat(plan.sites()).extracting(SitePlan::name).containsExactly("app.example.test", "php.example.test",
                "secure.example.test", "static.example.test");
        SitePlan php = plan.sites().get(1);
        assertThat(php.php()).isTrue();
        assertThat(php.pools()).containsExactly("www");
        assertThat(php.paths()).containsExactly(
                new SitePlan.PathMapping("/var/www/php", root + "/web/php.example.test/root"),
                new SitePlan.PathMapping("/srv/docs", root + "/web/php.example.test/docs"));
        assertThat(php.config()).contains("alias " + root + "/web/php.example.test/docs/;")
                .contains("fastcgi_pass 127.0.0.1:19003;").doesNotContain("include").doesNotContain(host.address());
        assertThat(plan.upstreams()).contains("upstream app_php {").contains("server 127.0.0.1:19003;");
        SitePlan secure = plan.sites().get(2);
        assertThat(secure.tlsFiles()).extracting(SitePlan.PathMapping::target).containsExactly(
                root + "/ssl/secure.example.test/secure.crt", root + "/ssl/secure.example.test/secure.key",
                root + "/ssl/secure.example.test/dhparam.pem");
        assertThat(secure.config()).contains("content_by_lua_block {").contains("listen 443 ssl http2;");

        writeTree(plan, root, false);
        Process nginx = new ProcessBuilder("/usr/sbin/nginx", "-t", "-p", root + "/", "-c", root + "/nginx.conf")
                .redirectErrorStream(true).start();
        assertThat(nginx.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String said = new String(nginx.getInputStream().readAllBytes());
        assertThat(nginx.exitValue()).as(said + "\n" + String.join("\n\n", plan.sites().stream()
                .map(SitePlan::config).toList())).isZero();
        assertThat(said).contains("test is successful");
    }

    /**
     * The rendered configuration served by a real nginx and php-fpm (pools rendered from the legacy ones,
     * listening where the planner sends FastCGI) from a copy of the site files, on another loopback address
     * with the legacy ports, answers every page as the legacy host does: static files, PHP pages, PATH_INFO,
     * the aliased directory, the TLS host, the Lua location, redirects and denials.
     */
    @Test
    void theNewSitesServeWhatTheLegacyHostServes() throws Exception {
        Path root = dir.resolve("serve");
        // nginx's workers and the pools run as www-data: they must get through the temporary directory.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        String address = "127.0.9." + (10 + ProcessHandle.current().pid() % 200);
        java.util.Map<String, Integer> ports = java.util.Map.of("www", 19301, "api", 19302);
        Layout layout = new Layout(root + "/web", root + "/log", root + "/ssl", pool -> "127.0.0.1:" + ports.get(pool),
                address);
        NginxPlan plan = NginxPlanner.plan(inventory, layout);
        assertThat(plan.problems()).isEmpty();

        writeTree(plan, root, true);
        StringBuilder fpm = new StringBuilder("[global]\npid = " + root + "/php-fpm.pid\nerror_log = " + root
                + "/php-fpm.log\n");
        for (var pool : inventory.php().fpm().getFirst().config().pools()) {
            fpm.append(dev.ferry.migrations.plan.PhpPoolRenderer.render(pool, "127.0.0.1:" + ports.get(pool.name()),
                    "www-data", "www-data"));
        }
        Files.writeString(root.resolve("php-fpm.conf"), fpm.toString());

        run("ip", "addr", "add", address + "/32", "dev", "lo");
        Process php = new ProcessBuilder("/usr/sbin/php-fpm8.2", "-F", "-y", root + "/php-fpm.conf")
                .redirectErrorStream(true).redirectOutput(root.resolve("php-fpm.out").toFile()).start();
        Process nginx = new ProcessBuilder("/usr/sbin/nginx", "-p", root + "/", "-c", root + "/nginx.conf",
                "-g", "daemon off;").redirectErrorStream(true).redirectOutput(root.resolve("nginx.out").toFile()).start();
        try {
            waitForPort(address, 80);
            waitForPort("127.0.0.1", 19302);
            record Page(String url, String name, int port) {
            }
            List<Page> pages = List.of(
                    new Page("http://static.example.test/", "static.example.test", 80),
                    new Page("http://www.static.example.test/css/site.css", "www.static.example.test", 80),
                    new Page("http://static.example.test/img/logo.png", "static.example.test", 80),
                    new Page("http://static.example.test/sub/", "static.example.test", 80),
                    new Page("http://static.example.test/read%20me.txt", "static.example.test", 80),
                    new Page("http://static.example.test/missing", "static.example.test", 80),
                    new Page("http://php.example.test/", "php.example.test", 80),
                    new Page("http://php.example.test/index.php", "php.example.test", 80),
                    new Page("http://php.example.test/info.php/extra/path", "php.example.test", 80),
                    new Page("http://php.example.test/docs/", "php.example.test", 80),
                    new Page("http://php.example.test/uploads/first.txt", "php.example.test", 80),
                    new Page("http://app.example.test/", "app.example.test", 80),
                    new Page("http://app.example.test/wp-config.php", "app.example.test", 80),
                    new Page("https://secure.example.test/", "secure.example.test", 443),
                    new Page("https://secure.example.test/lua", "secure.example.test", 443),
                    new Page("http://secure.example.test/x", "secure.example.test", 80));
            for (Page page : pages) {
                String legacy = curl(page.url(), page.name(), page.port(), host.address());
                String moved = curl(page.url(), page.name(), page.port(), address);
                // The one deliberate difference: where the files are.
                for (SitePlan site : plan.sites()) {
                    for (SitePlan.PathMapping p : site.paths()) {
                        moved = moved.replace(p.target(), p.legacy());
                    }
                }
                assertThat(moved).as(page.url()).isEqualTo(legacy);
            }
            assertThat(curl("http://php.example.test/info.php/extra/path", "php.example.test", 80, address))
                    .contains("PATH_INFO=/extra/path");
        } finally {
            nginx.destroy();
            php.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
            php.waitFor(10, TimeUnit.SECONDS);
            new ProcessBuilder("ip", "addr", "del", address + "/32", "dev", "lo").start().waitFor();
        }
    }

    /**
     * A runnable nginx tree under {@code root}: a main config loading the plan's modules from Debian's packages,
     * the rendered site files, log directories, the TLS files copied from the legacy host, and the sites'
     * directories, empty or (with {@code withFiles}) a copy of the legacy host's.
     */
    static void writeTree(NginxPlan plan, Path root, boolean withFiles) throws Exception {
        List<String> main = new ArrayList<>(List.of("user www-data;", "pid " + root + "/nginx.pid;",
                "error_log " + root + "/error.log;"));
        plan.modules().forEach(m -> main.add("load_module /usr/lib/nginx/modules/" + m + ";"));
        main.addAll(List.of("events {}", "http {", "    include /etc/nginx/mime.types;",
                "    default_type application/octet-stream;", "    include " + root + "/conf.d/*.conf;", "}"));
        Files.createDirectories(root.resolve("conf.d"));
        Files.write(root.resolve("nginx.conf"), main);
        Files.writeString(root.resolve("conf.d/00-upstreams.conf"), plan.upstreams());
        for (SitePlan site : plan.sites()) {
            Files.writeString(root.resolve(site.configFile()), site.config());
            Files.createDirectories(root.resolve("log").resolve(site.name()));
            for (SitePlan.PathMapping p : site.paths()) {
                Files.createDirectories(Path.of(p.target()).getParent());
                if (withFiles) {
                    run("cp", "-a", host.root().resolve(p.legacy().substring(1)).toString(), p.target());
                } else {
                    Files.createDirectories(Path.of(p.target()));
                }
            }
            for (SitePlan.PathMapping tls : site.tlsFiles()) {
                Files.createDirectories(Path.of(tls.target()).getParent());
                Files.copy(host.root().resolve(tls.legacy().substring(1)), Path.of(tls.target()));
            }
        }
    }

    /** Status, content type, location and body, as curl sees them. */
    static String curl(String url, String name, int port, String address) throws Exception {
        Process p = new ProcessBuilder("curl", "-sk", "--resolve", name + ":" + port + ":" + address,
                "-w", "\n%{http_code} %{content_type} %{redirect_url}", url).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1).replace(address, "ADDRESS")
                .replace(host.address(), "ADDRESS");
    }

    static void run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", argv) + ": " + out).isZero();
    }

    static void waitForPort(String address, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (java.net.Socket s = new java.net.Socket(address, port)) {
                return;
            } catch (java.io.IOException notYet) {
                assertThat(System.nanoTime()).as(address + ":" + port + " never opened").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    @Test
    void renderingIsDeterministic() {
        Layout layout = Layout.container();
        assertThat(NginxPlanner.plan(inventory, layout)).isEqualTo(NginxPlanner.plan(inventory, layout));
        assertThat(NginxPlanner.plan(inventory, layout).sites().get(1).config())
                .contains("root /srv/web/php.example.test/root;").contains("fastcgi_pass srv-php-www:9000;");
    }
}
