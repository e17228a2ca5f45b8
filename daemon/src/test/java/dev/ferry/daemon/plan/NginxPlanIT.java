package dev.ferry.daemon.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.daemon.LegacyHosts;
import dev.ferry.daemon.LocalCluster;
import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.plan.Layout;
import dev.ferry.migrations.plan.NginxPlan;
import dev.ferry.migrations.plan.NginxPlanner;
import dev.ferry.migrations.plan.Problem;
import dev.ferry.migrations.plan.SitePlan;
import dev.ferry.migrations.testhost.LegacyHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planner's nginx configuration for a real legacy host, checked by a real nginx: the rendered site files,
 * with the layout mapped into a temporary directory and the host's dynamic modules loaded from Debian's
 * packages, pass {@code nginx -t}, and served by a {@link LocalCluster} they answer as the legacy host does.
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

        LocalCluster.writeTree(plan, root, host);
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
        // nginx's workers and the pools run as www-data: they must get through the temporary directory.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (LocalCluster cluster = LocalCluster.start(host, inventory, dir.resolve("serve"),
                LocalCluster.SiteFiles.legacy(host))) {
            String address = cluster.address();
            NginxPlan plan = cluster.plan();
            assertThat(plan.problems()).isEmpty();
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
                String legacy = curl(page.url(), page.name(), page.port(), host.address(), address);
                String moved = curl(page.url(), page.name(), page.port(), address, address);
                // The one deliberate difference: where the files are.
                for (SitePlan site : plan.sites()) {
                    for (SitePlan.PathMapping p : site.paths()) {
                        moved = moved.replace(p.target(), p.legacy());
                    }
                }
                assertThat(moved).as(page.url()).isEqualTo(legacy);
            }
            assertThat(curl("http://php.example.test/info.php/extra/path", "php.example.test", 80, address, address))
                    .contains("PATH_INFO=/extra/path");
            // The local cluster logged what it answered: in the http-wide log, and in the php site's own.
            assertThat(cluster.accessLogLines()).anyMatch(l -> l.contains("https secure.example.test \"GET /lua HTTP"))
                    .anyMatch(l -> l.contains("\"GET /info.php/extra/path HTTP"));
        }
    }

    /** Status, content type, location and body, as curl sees them; both sides' addresses written ADDRESS. */
    static String curl(String url, String name, int port, String address, String clusterAddress) throws Exception {
        Process p = new ProcessBuilder("curl", "-sk", "--resolve", name + ":" + port + ":" + address,
                "-w", "\n%{http_code} %{content_type} %{redirect_url}", url).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1).replace(clusterAddress, "ADDRESS")
                .replace(host.address(), "ADDRESS");
    }

    @Test
    void renderingIsDeterministic() {
        Layout layout = Layout.container();
        assertThat(NginxPlanner.plan(inventory, layout)).isEqualTo(NginxPlanner.plan(inventory, layout));
        assertThat(NginxPlanner.plan(inventory, layout).sites().get(1).config())
                .contains("root /srv/web/php.example.test/root;").contains("fastcgi_pass srv-php-www:9000;");
    }
}
