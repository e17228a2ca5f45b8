package dev.ferry.daemon.cutover;

import static dev.ferry.daemon.DaemonFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.daemon.DaemonFixture;
import dev.ferry.daemon.LocalCluster;
import dev.ferry.daemon.Steps;
import dev.ferry.daemon.cluster.MockCluster;
import dev.ferry.migrations.testhost.LegacyHost;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the cutover and the rollback: ferryd runs as a child process and is SIGKILLed at every point
 * where the legacy host or the state store changes (a checkpoint saved, an edge script about to run, run, or cut
 * short after its first file), then started again on the same state. However often it dies, the legacy host ends
 * fully cut over (every file in its proxy form, the sites answered by the cluster), and after the rollback, fully
 * restored (every file byte for byte, the sites answered by the legacy host itself). Killed while the final copy
 * Job runs, the next ferryd finds that Job: there is only ever one.
 */
class CutoverCrashIT {

    static final List<String> CUTOVER_KILLS = List.of(
            "cutover/saved:edge",
            "cutover/saved:target=MAINTENANCE",
            "cutover/edge-half:edge-maintenance",
            "cutover/edge-after:edge-maintenance",
            "cutover/saved:copy-job",
            "cutover/saved:started",
            "cutover/saved:final-copy",
            "cutover/saved:target=PROXY",
            "cutover/edge-half:edge-proxy",
            "cutover/edge-after:edge-proxy",
            "cutover/step-finished");
    static final List<String> ROLLBACK_KILLS = List.of(
            "rollback/saved:target=ORIGINAL",
            "rollback/edge-half:edge-original",
            "rollback/edge-after:edge-original",
            "rollback/step-finished");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path log;
    LegacyHost host;
    LocalCluster cluster;
    Map<String, byte[]> originals;

    @Test
    void killedAtEveryPointTheHostEndsFullyCutOverThenFullyRestored() throws Exception {
        Path data = dir.resolve("data");
        log = dir.resolve("children.log");
        try (CutoverRig rig = CutoverRig.start(dir).rollOutDeployments()) {
            LegacyHost legacy = rig.host();
            LocalCluster local = rig.cluster();
            MockCluster mock = rig.mock();
            host = legacy;
            cluster = local;
            long id;
            try (DaemonFixture d = new DaemonFixture(data, Steps.product(CutoverIT.withIngress(local.address()), null),
                    rig.kubernetes())) {
                long hostId = CutoverIT.registerHost(d, legacy);
                id = json(d.post("/api/v1/migrations", "{\"hostId\": " + hostId + ", \"approveCutover\": true}"), 201)
                        .get("id").asLong();
                CutoverIT.awaitHold(d, id, "waiting for approval");
            }
            originals = CutoverIT.configFiles(legacy);
            Path kubeconfig = kubeconfig(mock);
            List<SiteLoad.Page> pages = CutoverIT.pages(legacy);

            boolean first = true;
            for (String kill : CUTOVER_KILLS) {
                boolean approve = first;
                String outcome = runChild(data, kubeconfig, kill, api -> {
                    if (approve) {
                        post(api, "/api/v1/migrations/" + id + "/approve");
                    }
                    return null;
                });
                assertThat(outcome).as("see " + log).isEqualTo("KILL-READY " + kill);
                if (kill.startsWith("cutover/edge-half")) {
                    // Really half: one file in its new form, the others still in the form before.
                    boolean toProxy = kill.endsWith("proxy");
                    assertThat(filesContaining("proxy_pass $scheme://ferry_m")).as(kill).isEqualTo(toProxy ? 1 : 0);
                    assertThat(filesContaining("return 503")).as(kill).isEqualTo(toProxy ? 3 : 1);
                }
                first = false;
            }
            String cutOver = runChild(data, kubeconfig, ROLLBACK_KILLS.getFirst(), api -> {
                JsonNode m = awaitStatus(api, id, "completed");
                assertThat(m.get("phase").asText()).isEqualTo("done");
                assertFullyCutOver(pages);
                post(api, "/api/v1/migrations/" + id + "/rollback");
                return null;
            });
            assertThat(cutOver).as("see " + log).isEqualTo("KILL-READY " + ROLLBACK_KILLS.getFirst());
            for (String kill : ROLLBACK_KILLS.subList(1, ROLLBACK_KILLS.size())) {
                assertThat(runChild(data, kubeconfig, kill, api -> null)).as("see " + log)
                        .isEqualTo("KILL-READY " + kill);
                if (kill.equals("rollback/edge-half:edge-original")) {
                    assertThat(filesContaining("proxy_pass $scheme://ferry_m")).as(kill).isEqualTo(3);
                }
            }
            String end = runChild(data, kubeconfig, "none", api -> awaitStatus(api, id, "rolled-back")
                    .get("status").asText());
            assertThat(end).as("see " + log).isEqualTo("rolled-back");
            // Killed while its final copy Job ran, a restarted ferryd found that Job rather than starting another.
            assertThat(mock.client().batch().v1().jobs().inAnyNamespace().list().getItems())
                    .extracting(j -> j.getMetadata().getName()).filteredOn(n -> n.startsWith("ferry-final-copy-"))
                    .containsExactly("ferry-final-copy-" + id + "-1");
            assertThat(CutoverIT.configFiles(legacy)).allSatisfy((path, bytes) ->
                    assertThat(bytes).as(path).isEqualTo(originals.get(path)));
            int served = local.accessLogLines().size();
            for (SiteLoad.Page page : pages) {
                assertThat(SiteLoad.status(legacy.address(), page)).as(page.toString()).isEqualTo(page.expectedStatus());
            }
            assertThat(local.accessLogLines()).as("the legacy host serves itself again").hasSize(served);
        }
    }

    /** How many of the legacy configuration files contain {@code text}. */
    long filesContaining(String text) throws Exception {
        return CutoverIT.configFiles(host).values().stream()
                .filter(b -> new String(b, StandardCharsets.UTF_8).contains(text)).count();
    }

    void assertFullyCutOver(List<SiteLoad.Page> pages) throws Exception {
        for (var entry : CutoverIT.configFiles(host).entrySet()) {
            assertThat(new String(entry.getValue(), StandardCharsets.UTF_8)).as(entry.getKey())
                    .contains("proxy_pass $scheme://ferry_m").doesNotContain("return 503");
        }
        int served = cluster.accessLogLines().size();
        for (SiteLoad.Page page : pages) {
            assertThat(SiteLoad.status(host.address(), page)).as(page.toString()).isEqualTo(page.expectedStatus());
        }
        assertThat(cluster.accessLogLines().size()).as("the cluster answers the legacy address")
                .isGreaterThanOrEqualTo(served + pages.size());
    }

    Path kubeconfig(MockCluster mock) throws Exception {
        String url = mock.client().getMasterUrl().toString();
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s"}}]
                users: [{name: test, user: {token: mock-token}}]
                contexts: [{name: mock, context: {cluster: mock, user: test, namespace: default}}]
                current-context: mock
                """.formatted(url));
        return file;
    }

    /** What the parent does once the child's API is up: returns a result that ends the child, or null. */
    @FunctionalInterface
    interface Action {
        String run(int apiPort) throws Exception;
    }

    /** Runs the child until it says KILL-READY (then SIGKILLs it) or the action returns a result. */
    String runChild(Path data, Path kubeconfig, String killAt, Action action) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", classpath, "-Xmx384m",
                CutoverCrashDaemon.class.getName(), data.toString(), cluster.address(), killAt)
                .redirectErrorStream(true);
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        // As MockCluster's own client: no h2c upgrade against the mock server.
        pb.environment().put("KUBERNETES_HTTP2_DISABLE", "true");
        Process child = pb.start();
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                    if (line.startsWith("STARTED ")) {
                        int port = Integer.parseInt(line.substring(8).strip());
                        Thread.ofPlatform().daemon().start(() -> {
                            try {
                                String result = action.run(port);
                                if (result != null) {
                                    outcome.complete(result);
                                }
                            } catch (Throwable e) {
                                outcome.completeExceptionally(e);
                            }
                        });
                    } else if (line.startsWith("KILL-READY")) {
                        outcome.complete(line);
                    }
                }
                outcome.complete("EXITED (exit " + child.waitFor() + ")");
            } catch (Exception e) {
                outcome.completeExceptionally(e);
            }
        });
        try {
            return outcome.get(4, TimeUnit.MINUTES);
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            reader.join(10_000);
        }
    }

    static JsonNode awaitStatus(int api, long id, String status) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (true) {
            JsonNode m = JSON.readTree(send(api, HttpRequest.newBuilder(uri(api, "/api/v1/migrations/" + id)).GET(),
                    200));
            if (m.get("status").asText().equals(status)) {
                return m;
            }
            assertThat(m.get("status").asText()).as(m.toString()).isNotIn("failed", "cancelled",
                    status.equals("rolled-back") ? "completed-never" : "rolled-back");
            assertThat(Instant.now()).as("never " + status + ": " + m).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    static void post(int api, String path) throws Exception {
        send(api, HttpRequest.newBuilder(uri(api, path)).POST(HttpRequest.BodyPublishers.noBody()), 200);
    }

    static URI uri(int api, String path) {
        return URI.create("http://127.0.0.1:" + api + path);
    }

    static String send(int api, HttpRequest.Builder request, int expected) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> r = client.send(request.header("Authorization", "Bearer "
                    + CutoverCrashDaemon.TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
            return r.body();
        }
    }
}
