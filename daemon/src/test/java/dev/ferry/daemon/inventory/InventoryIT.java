package dev.ferry.daemon.inventory;

import static dev.ferry.daemon.DaemonFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.daemon.DaemonFixture;
import dev.ferry.daemon.Steps;
import dev.ferry.daemon.cli.FerryCommand;
import dev.ferry.migrations.testhost.LegacyHost;
import dev.ferry.state.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory of a real legacy host (sshd, nginx with dynamic modules, two php-fpm pools, MariaDB) taken the
 * three ways an operator can: on demand through the API, by a migration's inventory phase, and by the one-shot
 * CLI. All three must find every site, root, pool, module and extension, and produce the same document.
 */
class InventoryIT {

    static LegacyHost host;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        host = LegacyHost.start();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    static long register(DaemonFixture d, LegacyHost h, String name) {
        return json(d.post("/api/v1/hosts", """
                {"name": "%s", "address": "%s", "port": %d, "user": "%s", "sudo": true,
                 "auth": {"method": "key", "keyFile": "%s"}, "hostKeyFingerprint": "%s"}"""
                .formatted(name, h.address(), h.sshPort(), h.sudoUser(), h.clientKey(), h.hostKeyFingerprint())), 201)
                .path("id").asLong();
    }

    @Test
    void theApiTheInventoryPhaseAndTheCliFindEverythingAndAgree() throws Exception {
        JsonNode onDemand;
        JsonNode byPhase;
        try (DaemonFixture d = new DaemonFixture(dir.resolve("daemon"), Steps.product())) {
            long id = register(d, host, "legacy1");
            assertThat(d.get("/api/v1/hosts/" + id + "/inventory").statusCode()).isEqualTo(404);

            HttpResponse<String> taken = d.post("/api/v1/hosts/" + id + "/inventory", "");
            onDemand = json(taken, 201);
            assertThat(taken.headers().firstValue("X-Inventory-Complete")).contains("true");
            assertFindsEverything(onDemand);
            assertThat(d.get("/api/v1/hosts/" + id + "/inventory").body()).isEqualTo(taken.body());

            long migration = d.startMigration(id);
            // No cluster is configured here: the migration stops at the build phase, saying so.
            JsonNode m = d.awaitStatus(migration, "failed");
            assertThat(m.path("phase").asText()).as(m.toString()).isEqualTo("build");
            assertThat(m.path("lastError").asText()).contains("no Kubernetes cluster is configured");
            JsonNode plan = json(d.get("/api/v1/migrations/" + migration + "/plan"), 200);
            assertThat(plan.path("sites")).hasSize(4);
            assertThat(plan.path("problems").toString()).doesNotContainIgnoringCase("blocking");
            byPhase = json(d.get("/api/v1/hosts/" + id + "/inventory"), 200);
            assertThat(byPhase.path("collectedAt").asText()).isNotEqualTo(onDemand.get("collectedAt").asText());
            assertFindsEverything(byPhase);
        }

        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, host.knownHostsLine() + "\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = FerryCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(
                "inventory", "-i", host.clientKey().toString(), "--known-hosts", knownHosts.toString(),
                host.sudoUser() + "@" + host.address() + ":" + host.sshPort());
        assertThat(exit).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode byCli = Json.mapper().readTree(lines.getFirst());
        assertFindsEverything(byCli);

        Files.writeString(knownHosts, "");
        StringWriter unknownErr = new StringWriter();
        StringWriter unknownOut = new StringWriter();
        int unknown = FerryCommand.commandLine().setOut(new PrintWriter(unknownOut))
                .setErr(new PrintWriter(unknownErr)).execute("inventory", "-i", host.clientKey().toString(),
                        "--known-hosts", knownHosts.toString(), "root@" + host.address() + ":" + host.sshPort());
        assertThat(unknown).isEqualTo(1);
        assertThat(unknownOut.toString()).isEmpty();
        assertThat(unknownErr.toString()).contains("the known_hosts file has no key for it");

        assertThat(comparable(byPhase)).isEqualTo(comparable(onDemand));
        assertThat(comparable(byCli)).isEqualTo(comparable(onDemand));
    }

    @Test
    void aChangedHostKeyFailsTheInventoryPhaseBeforeAnyCommandRuns() throws Exception {
        try (LegacyHost changing = LegacyHost.start();
             DaemonFixture d = new DaemonFixture(dir.resolve("daemon-key"), Steps.product())) {
            long id = register(d, changing, "legacy2");
            String pinned = changing.hostKeyFingerprint();
            changing.regenerateHostKey();
            long loginsBefore = changing.acceptedLogins();

            JsonNode m = d.awaitStatus(d.startMigration(id), "failed");
            assertThat(m.path("phase").asText()).isEqualTo("inventory");
            assertThat(m.path("lastError").asText())
                    .contains("host key of host legacy2 (" + changing.address() + ":" + changing.sshPort() + ") changed")
                    .contains("expected " + pinned).contains("got " + changing.hostKeyFingerprint())
                    .contains("no command was run");
            assertThat(changing.acceptedLogins()).as("no login was accepted, so no command ran").isEqualTo(loginsBefore);
            assertThat(d.get("/api/v1/hosts/" + id + "/inventory").statusCode()).isEqualTo(404);

            HttpResponse<String> onDemand = d.post("/api/v1/hosts/" + id + "/inventory", "");
            assertThat(json(onDemand, 502).path("detail").asText()).contains("changed");
        }
    }

    /** The document without what differs by run: when, and the name the host goes by. */
    static JsonNode comparable(JsonNode inventory) {
        ObjectNode copy = inventory.deepCopy();
        copy.remove(List.of("collectedAt", "host"));
        return copy;
    }

    static void assertFindsEverything(JsonNode inv) {
        assertThat(inv.path("warnings")).as(inv.path("warnings").toString()).isEmpty();
        assertThat(inv.path("hostKeyFingerprint").asText()).isEqualTo(host.hostKeyFingerprint());
        assertThat(inv.at("/system/os/id").asText()).isEqualTo("debian");
        assertThat(inv.at("/system/cpus").asInt()).isPositive();
        assertThat(inv.at("/system/memoryBytes").asLong()).isGreaterThan(1L << 20);

        assertThat(inv.at("/nginx/build/version").asText()).matches("1\\.\\d+\\.\\d+");
        assertThat(texts(inv.at("/nginx/build/withModules"))).contains("http_ssl_module", "http_v2_module");
        assertThat(texts(inv.at("/nginx/config/loadModules")))
                .anyMatch(m -> m.contains("brotli")).anyMatch(m -> m.contains("lua"))
                .anyMatch(m -> m.contains("headers_more")).anyMatch(m -> m.contains("ndk"));
        List<JsonNode> servers = list(inv.at("/nginx/config/servers"));
        for (LegacyHost.Site site : host.sites()) {
            assertThat(servers).as("server block for " + site).anyMatch(s ->
                    texts(s.path("serverNames")).getFirst().equals(site.serverName())
                            && texts(s.path("serverNames")).containsAll(site.otherNames())
                            && (site.root() == null ? s.path("root").isMissingNode() : s.path("root").asText().equals(site.root()))
                            && list(s.path("listens")).stream().anyMatch(l -> l.path("port").asInt() == site.port()
                                    && l.path("ssl").asBoolean() == site.tls()
                                    && l.path("address").asText().equals(host.address())));
        }
        JsonNode secure = servers.stream().filter(s -> texts(s.path("serverNames")).contains("secure.example.test")
                && s.path("root").isTextual()).findFirst().orElseThrow();
        assertThat(secure.path("sslCertificate").asText()).startsWith("/etc/nginx/ssl/");
        assertThat(secure.path("sslCertificateKey").asText()).startsWith("/etc/nginx/ssl/");
        assertThat(list(secure.path("listens"))).anyMatch(l -> l.path("http2").asBoolean());
        JsonNode php = servers.stream().filter(s -> texts(s.path("serverNames")).contains("php.example.test"))
                .findFirst().orElseThrow();
        assertThat(list(php.path("locations"))).anyMatch(l -> l.path("path").asText().equals("/docs/")
                && l.path("alias").asText().equals("/srv/docs/"));
        assertThat(list(php.path("locations"))).anyMatch(l -> l.path("fastcgi").isObject()
                && l.at("/fastcgi/kind").asText().equals("UNIX")
                && l.at("/fastcgi/scriptFilename").asText().contains("$fastcgi_script_name")
                && l.at("/fastcgi/pathInfo").isTextual());
        List<String> moduleUses = servers.stream().flatMap(s -> moduleUses(s).stream()).toList();
        assertThat(moduleUses).contains("brotli", "headers-more", "lua");

        List<JsonNode> fpm = list(inv.at("/php/fpm"));
        assertThat(fpm).hasSize(1);
        List<JsonNode> pools = list(fpm.getFirst().at("/config/pools"));
        assertThat(pools).extracting(p -> p.path("name").asText()).containsExactlyInAnyOrder("www", "api");
        assertThat(pools).anyMatch(p -> p.path("name").asText().equals("api") && p.path("user").asText().equals("apiuser")
                && p.path("listen").asText().equals(host.address() + ":9001"));
        assertThat(pools).anyMatch(p -> p.path("name").asText().equals("www")
                && p.path("listen").asText().equals("/run/php/php8.2-fpm.sock"));
        for (LegacyHost.Site site : host.sites()) {
            if (site.pool() != null) {
                assertThat(list(inv.path("poolMappings"))).as("pool of " + site.serverName())
                        .anyMatch(pm -> pm.path("server").asText().equals(site.serverName())
                                && pm.path("pool").asText().equals(site.pool()));
            }
        }
        assertThat(texts(inv.at("/php/modules/php"))).contains("mysqli", "gd", "mbstring", "intl", "xml", "curl",
                "zip", "PDO", "pdo_mysql");
        assertThat(texts(inv.at("/php/modules/zend"))).contains("Zend OPcache");
        assertThat(inv.at("/php/cli/minor").asText()).isEqualTo("8.2");

        List<JsonNode> roots = list(inv.path("roots"));
        assertThat(roots).extracting(r -> r.path("path").asText())
                .contains("/var/www/static", "/var/www/php", "/var/www/app", "/var/www/secure", "/srv/docs");
        JsonNode phpRoot = roots.stream().filter(r -> r.path("path").asText().equals("/var/www/php")).findFirst()
                .orElseThrow();
        assertThat(phpRoot.path("uid").asInt()).isEqualTo(33);
        assertThat(phpRoot.path("files").asLong()).isPositive();
        assertThat(texts(phpRoot.path("writableDirectories"))).contains("uploads");
        assertThat(list(phpRoot.path("symlinksOutsideRoot"))).anyMatch(s -> s.path("path").asText().equals("shared")
                && s.path("resolved").asText().equals("/srv/shared"));

        assertThat(inv.at("/database/flavor").asText()).isEqualTo("mariadb");
        assertThat(list(inv.path("apps"))).anyMatch(a -> a.path("app").asText().equals("wordpress")
                && a.path("host").asText().equals(host.address()) && a.path("name").asText().equals("appdb")
                && a.path("user").asText().equals("appuser"));
        assertThat(inv.toString()).doesNotContain(LegacyHost.DB_PASSWORD);
    }

    private static List<String> moduleUses(JsonNode server) {
        List<String> out = new ArrayList<>(list(server.path("moduleDirectives")).stream()
                .map(m -> m.path("module").asText()).toList());
        for (JsonNode l : list(server.path("locations"))) {
            out.addAll(list(l.path("moduleDirectives")).stream().map(m -> m.path("module").asText()).toList());
        }
        return out;
    }

    static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    static List<String> texts(JsonNode array) {
        return list(array).stream().map(JsonNode::asText).toList();
    }
}
