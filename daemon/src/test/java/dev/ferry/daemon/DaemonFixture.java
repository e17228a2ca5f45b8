package dev.ferry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.daemon.cluster.LazyCluster;
import dev.ferry.daemon.config.FerryConfig;
import dev.ferry.daemon.engine.EngineListener;
import dev.ferry.migrations.step.Step;
import dev.ferry.state.Json;
import dev.ferry.state.workflow.Phase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * An in-process ferryd on a free port with an H2 store in a temporary directory, the steps a test gives it,
 * and a small HTTP client that sends the API token.
 */
public final class DaemonFixture implements AutoCloseable {

    public static final String TOKEN = "test-token-0123456789abcdef";

    private final Ferryd ferryd;
    private final HttpClient http = HttpClient.newHttpClient();

    public DaemonFixture(Path dataDir, Map<Phase, Step> steps) {
        this(dataDir, steps, EngineListener.NONE);
    }

    public DaemonFixture(Path dataDir, Map<Phase, Step> steps, EngineListener listener) {
        this(dataDir, steps, listener, FerryConfig.defaults().concurrency());
    }

    public DaemonFixture(Path dataDir, Map<Phase, Step> steps, EngineListener listener,
            FerryConfig.Concurrency concurrency) {
        this(dataDir, steps, listener, c -> new FerryConfig(c.dataDir(), c.api(), c.database(), c.engine(), concurrency,
                c.ssh(), c.webhooks(), c.log(), c.kubernetes(), c.cutover()));
    }

    /** @param adjust changes to the test configuration (a database URL, clustering, limits) */
    public DaemonFixture(Path dataDir, Map<Phase, Step> steps, EngineListener listener,
            java.util.function.UnaryOperator<FerryConfig> adjust) {
        this(dataDir, steps, listener, adjust, LazyCluster.none());
    }

    /** A daemon that reaches this cluster (a mock API server). */
    public DaemonFixture(Path dataDir, Map<Phase, Step> steps, dev.ferry.migrations.port.Cluster cluster) {
        this(dataDir, steps, EngineListener.NONE, c -> c, cluster);
    }

    private DaemonFixture(Path dataDir, Map<Phase, Step> steps, EngineListener listener,
            java.util.function.UnaryOperator<FerryConfig> adjust, dev.ferry.migrations.port.Cluster cluster) {
        FerryConfig d = FerryConfig.defaults();
        FerryConfig config = adjust.apply(new FerryConfig(dataDir,
                new FerryConfig.Api("127.0.0.1", 0, TOKEN, 64 * 1024),
                d.database(),
                new FerryConfig.Engine(4, 2, false, "test", new FerryConfig.Retry(1, 2.0, 2, 3)),
                d.concurrency(),
                d.ssh(),
                new FerryConfig.Webhooks(1, 2.0, 2, 4, 5, 2),
                d.log(), d.kubernetes(), d.cutover()));
        this.ferryd = Ferryd.start(config, steps, listener, Clock.systemUTC(), cluster);
    }

    public Ferryd ferryd() {
        return ferryd;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + ferryd.apiPort() + path);
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    /** The response's JSON body, after checking the status. */
    public static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers a host with a pinned (made-up but well-formed) key; returns its id. */
    public long registerHost(String name) {
        return json(post("/api/v1/hosts", """
                {"name": "%s", "address": "192.0.2.10", "user": "root",
                 "hostKeyFingerprint": "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8"}""".formatted(name)), 201)
                .get("id").asLong();
    }

    public long startMigration(long hostId) {
        return json(post("/api/v1/migrations", "{\"hostId\": " + hostId + "}"), 201).get("id").asLong();
    }

    /** Polls the migration until it has one of {@code statuses}; fails after a minute. */
    public JsonNode awaitStatus(long id, String... statuses) {
        java.util.Set<String> wanted = java.util.Set.of(statuses);
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(60);
        JsonNode m;
        do {
            m = json(get("/api/v1/migrations/" + id), 200);
            if (wanted.contains(m.get("status").asText())) {
                return m;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        } while (java.time.Instant.now().isBefore(deadline));
        throw new AssertionError("migration " + id + " did not become " + wanted + "; it is " + m);
    }

    @Override
    public void close() {
        ferryd.close();
    }
}
