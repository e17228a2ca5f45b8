package dev.ferry.daemon.cutover;

import static dev.ferry.daemon.DaemonFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.daemon.DaemonFixture;
import dev.ferry.daemon.LocalCluster;
import dev.ferry.daemon.Steps;
import dev.ferry.daemon.config.FerryConfig;
import dev.ferry.migrations.step.Step;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.migrations.testhost.LegacyHost;
import dev.ferry.state.workflow.Phase;
import java.util.EnumMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline against a real legacy host, with real nginx and php-fpm serving the copied volume from the
 * rendered configuration as "the cluster" behind a local ingress address (fabric8's mock API server with the
 * drivers as kubelet and controllers): a verification difference blocks the cutover until accepted; the cutover
 * waits for approval; then, under continuous load on every site through the legacy address, the cutover and
 * later the rollback lose no request.
 */
class CutoverIT {

    static final double MIN_RATE = 200;

    @TempDir
    Path dir;

    static FerryConfig withIngress(String address) {
        FerryConfig d = FerryConfig.defaults();
        return new FerryConfig(d.dataDir(), d.api(), d.database(), d.engine(), d.concurrency(), d.ssh(), d.webhooks(),
                d.log(), d.kubernetes(), new FerryConfig.Cutover(address, 80, 443, false, 120));
    }

    @Test
    void aMismatchBlocksUntilAcceptedThenCutoverAndRollbackUnderLoadLoseNoRequest() throws Exception {
        try (CutoverRig rig = CutoverRig.start(dir);
             DaemonFixture d = new DaemonFixture(dir.resolve("data"),
                     Steps.product(withIngress(rig.cluster().address()), null), rig.kubernetes())) {
            LegacyHost host = rig.host();
            LocalCluster cluster = rig.cluster();
            Path web = rig.web();
            long hostId = registerHost(d, host);
            long id = json(d.post("/api/v1/migrations", "{\"hostId\": " + hostId + ", \"approveCutover\": true}"), 201)
                    .get("id").asLong();

            // The copy is in the volume and the Deployments are not rolled out yet: the cluster's copy of a
            // stylesheet changes behind Ferry's back.
            awaitPhase(d, id, "deploy");
            Path css = web.resolve("static.example.test/root/css/site.css");
            Files.writeString(css, "/* changed in the cluster */\n", java.nio.file.StandardOpenOption.APPEND);

            rig.rollOutDeployments();
            JsonNode failed = d.awaitStatus(id, "failed", "completed", "rolled-back");
            assertThat(failed.get("phase").asText()).as(failed.toString()).isEqualTo("verify");
            String probe = "static.example.test http GET /css/site.css";
            assertThat(failed.get("lastError").asText()).contains("probes differ: " + probe + ": body differs");
            JsonNode differing = failed.get("verification").get("differing");
            assertThat(differing).hasSize(1);
            assertThat(differing.get(0).get("probe").asText()).isEqualTo(probe);
            assertThat(differing.get(0).get("verdict").asText()).isEqualTo("mismatch");
            JsonNode report = json(d.get("/api/v1/migrations/" + id + "/verification"), 200);
            assertThat(report.get("mismatched").asInt()).isEqualTo(1);
            assertThat(json(d.post("/api/v1/migrations/" + id + "/verification/accept",
                    "{\"probes\": [\"no such probe\"]}"), 422).toString()).contains("is not a probe that differs");

            json(d.post("/api/v1/migrations/" + id + "/verification/accept", "{\"probes\": [\"" + probe + "\"]}"),
                    200);
            JsonNode held = awaitHold(d, id, "waiting for approval");
            assertThat(held.get("phase").asText()).isEqualTo("cutover");
            assertThat(held.get("verification").get("accepted").asInt()).isEqualTo(1);

            Map<String, byte[]> originals = configFiles(host);
            List<SiteLoad.Page> pages = pages(host);
            int logged = cluster.accessLogLines().size();

            try (SiteLoad load = new SiteLoad(host.address(), pages, 8)) {
                Thread.sleep(1500);
                json(d.post("/api/v1/migrations/" + id + "/approve", ""), 200);
                JsonNode done = d.awaitStatus(id, "completed", "failed", "rolled-back");
                assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
                Thread.sleep(1500);
                load.close();
                System.out.printf("cutover under load: %d requests, %.0f per second, %d failed, per site %s%n",
                        load.sent(), load.rate(), load.failures().size(), load.perSite());
                assertThat(load.failures()).as("requests that failed during the cutover").isEmpty();
                assertThat(load.rate()).as("requests per second").isGreaterThanOrEqualTo(MIN_RATE);
                assertThat(load.perSite().keySet()).containsAll(pages.stream().map(SiteLoad.Page::name).toList());
            }
            // The final delta copy brought the stylesheet back to the legacy host's.
            assertThat(css).hasSameBinaryContentAs(host.root().resolve("var/www/static/css/site.css"));
            for (var entry : originals.entrySet()) {
                assertThat(Files.readString(host.root().resolve(entry.getKey().substring(1))))
                        .contains("proxy_pass $scheme://ferry_m" + id + "_$scheme;");
            }
            // Requests to the legacy address are now answered by the cluster.
            int before = cluster.accessLogLines().size();
            assertThat(before).isGreaterThan(logged);
            for (SiteLoad.Page page : pages) {
                assertThat(SiteLoad.status(host.address(), page)).isEqualTo(page.expectedStatus());
            }
            assertThat(cluster.accessLogLines().size()).isGreaterThanOrEqualTo(before + pages.size());
            assertThat(kinds(d, id)).contains("cutover.completed@cutover", "phase.completed@verify-after");

            try (SiteLoad load = new SiteLoad(host.address(), pages, 8)) {
                Thread.sleep(1500);
                json(d.post("/api/v1/migrations/" + id + "/rollback", ""), 200);
                JsonNode rolledBack = d.awaitStatus(id, "rolled-back", "failed");
                assertThat(rolledBack.get("status").asText()).as(rolledBack.toString()).isEqualTo("rolled-back");
                Thread.sleep(1500);
                load.close();
                System.out.printf("rollback under load: %d requests, %.0f per second, %d failed%n", load.sent(),
                        load.rate(), load.failures().size());
                assertThat(load.failures()).as("requests that failed during the rollback").isEmpty();
                assertThat(load.rate()).as("requests per second").isGreaterThanOrEqualTo(MIN_RATE);
            }
            assertThat(configFiles(host)).allSatisfy((path, bytes) -> assertThat(bytes)
                    .as(path).isEqualTo(originals.get(path)));
            int after = cluster.accessLogLines().size();
            for (SiteLoad.Page page : pages) {
                assertThat(SiteLoad.status(host.address(), page)).isEqualTo(page.expectedStatus());
            }
            assertThat(cluster.accessLogLines()).as("the legacy host serves itself again").hasSize(after);
            JsonNode events = json(d.get("/api/v1/migrations/" + id + "/events?limit=1000"), 200);
            JsonNode restored = null;
            for (JsonNode e : events) {
                if (e.get("kind").asText().equals("rollback.restored")) {
                    restored = e;
                }
            }
            assertThat(restored).isNotNull();
            assertThat(restored.get("details").get("diff").asText()).contains("-    location / {")
                    .contains("+++ /etc/nginx/sites-enabled/static.conf");
        }
    }

    /**
     * The check after the cutover finds the cluster answering differently than the legacy host did (its copy of a
     * page changed right after the cutover): the cutover is rolled back at once, without an operator.
     */
    @Test
    void aClusterThatAnswersDifferentlyAfterTheCutoverIsRolledBackAtOnce() throws Exception {
        try (CutoverRig rig = CutoverRig.start(dir).rollOutDeployments()) {
            LegacyHost host = rig.host();
            LocalCluster cluster = rig.cluster();
            Path web = rig.web();
            Map<Phase, Step> steps = new EnumMap<>(Steps.product(withIngress(cluster.address()), null));
            Step cutover = steps.get(Phase.CUTOVER);
            Path index = web.resolve("static.example.test/root/index.html");
            steps.put(Phase.CUTOVER, ctx -> {
                StepResult r = cutover.run(ctx);
                if (r instanceof StepResult.Done) {
                    try {
                        Files.writeString(index, "<p>changed in the cluster after the cutover</p>\n",
                                java.nio.file.StandardOpenOption.APPEND);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return r;
            });
            Map<String, byte[]> originals = configFiles(host);
            try (DaemonFixture d = new DaemonFixture(dir.resolve("data"), steps, rig.kubernetes())) {
                long id = d.startMigration(registerHost(d, host));
                Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
                JsonNode m = json(d.get("/api/v1/migrations/" + id), 200);
                while (!List.of("rolled-back", "failed", "completed").contains(m.get("status").asText())) {
                    assertThat(Instant.now()).as(m.toString()).isBefore(deadline);
                    Thread.sleep(200);
                    m = json(d.get("/api/v1/migrations/" + id), 200);
                }
                assertThat(m.get("status").asText()).as(m.toString()).isEqualTo("rolled-back");
                assertThat(m.get("lastError").asText()).contains("after the cutover").contains("static.example.test");
                assertThat(kinds(d, id)).containsSubsequence("cutover.completed@cutover",
                        "verify-after.mismatch@verify-after", "rollback.started@verify-after",
                        "rollback.restored@rollback", "migration.rolled-back@rollback");
            }
            assertThat(configFiles(host)).allSatisfy((path, bytes) -> assertThat(bytes).as(path)
                    .isEqualTo(originals.get(path)));
            int served = cluster.accessLogLines().size();
            for (SiteLoad.Page page : pages(host)) {
                assertThat(SiteLoad.status(host.address(), page)).isEqualTo(page.expectedStatus());
            }
            assertThat(cluster.accessLogLines()).as("the legacy host serves itself again").hasSize(served);
        }
    }

    static long registerHost(DaemonFixture d, LegacyHost host) {
        return json(d.post("/api/v1/hosts", """
                {"name": "legacy", "address": "%s", "port": %d, "user": "root",
                 "auth": {"method": "key", "keyFile": "%s"}, "hostKeyFingerprint": "%s"}"""
                .formatted(host.address(), host.sshPort(), host.clientKey(), host.hostKeyFingerprint())), 201)
                .get("id").asLong();
    }

    /** Every site's pages with the status each answers now, before anything moves. */
    static List<SiteLoad.Page> pages(LegacyHost host) throws Exception {
        List<SiteLoad.Page> pages = new ArrayList<>();
        for (String[] p : List.of(new String[] {"http", "static.example.test", "80", "/"},
                new String[] {"http", "www.static.example.test", "80", "/css/site.css"},
                new String[] {"http", "static.example.test", "80", "/img/logo.png"},
                new String[] {"http", "static.example.test", "80", "/missing"},
                new String[] {"http", "php.example.test", "80", "/"},
                new String[] {"http", "php.example.test", "80", "/info.php/extra/path"},
                new String[] {"http", "php.example.test", "80", "/docs/"},
                new String[] {"http", "app.example.test", "80", "/"},
                new String[] {"https", "secure.example.test", "443", "/"},
                new String[] {"http", "secure.example.test", "80", "/x"})) {
            SiteLoad.Page probe = new SiteLoad.Page(p[0], p[1], Integer.parseInt(p[2]), p[3], 0);
            int status = SiteLoad.status(host.address(), probe);
            assertThat(status).as(p[1] + p[3]).isLessThan(500);
            pages.add(new SiteLoad.Page(p[0], p[1], Integer.parseInt(p[2]), p[3], status));
        }
        return pages;
    }

    static Map<String, byte[]> configFiles(LegacyHost host) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String site : List.of("static", "php", "app", "secure")) {
            String path = "/etc/nginx/sites-enabled/" + site + ".conf";
            files.put(path, Files.readAllBytes(host.root().resolve(path.substring(1))));
        }
        return files;
    }

    static void awaitPhase(DaemonFixture d, long id, String phase) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (true) {
            JsonNode m = json(d.get("/api/v1/migrations/" + id), 200);
            assertThat(m.get("status").asText()).as(m.toString()).isNotIn("failed", "cancelled", "rolled-back");
            if (m.get("phase").asText().equals(phase)) {
                return;
            }
            assertThat(Instant.now()).as("never reached " + phase + ": " + m).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    static JsonNode awaitHold(DaemonFixture d, long id, String reason) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (true) {
            JsonNode m = json(d.get("/api/v1/migrations/" + id), 200);
            assertThat(m.get("status").asText()).as(m.toString()).isNotIn("failed", "cancelled", "rolled-back");
            if (m.hasNonNull("holdReason") && m.get("holdReason").asText().startsWith(reason)) {
                return m;
            }
            assertThat(Instant.now()).as("never held for " + reason + ": " + m).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    static List<String> kinds(DaemonFixture d, long id) {
        List<String> out = new ArrayList<>();
        json(d.get("/api/v1/migrations/" + id + "/events?limit=1000"), 200)
                .forEach(e -> out.add(e.get("kind").asText() + "@" + e.get("phase").asText()));
        return out;
    }
}
