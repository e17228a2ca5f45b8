package dev.ferry.daemon.webhook;

import static dev.ferry.daemon.DaemonFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.daemon.DaemonFixture;
import dev.ferry.daemon.engine.ScriptedStep;
import dev.ferry.migrations.step.Step;
import dev.ferry.state.Json;
import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.Phase;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A real HTTP receiver gets every phase change once per delivery attempt, signed so that it verifies; refused
 * attempts are retried; a restart between event and delivery still delivers; the secret shows nowhere else.
 */
class WebhooksIT {

    record Received(long delivery, int attempt, String kind, String phase, String signature, long timestamp, byte[] body) {
    }

    @TempDir
    Path dir;
    HttpServer receiver;
    final List<Received> received = new CopyOnWriteArrayList<>();
    /** Deliveries refused once (500) on their first attempt. */
    final Set<Long> refusedOnce = ConcurrentHashMap.newKeySet();
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        startReceiver(0);
        logs.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    void startReceiver(int port) throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            JsonNode doc = Json.mapper().readTree(body);
            long delivery = Long.parseLong(exchange.getRequestHeaders().getFirst("X-Ferry-Delivery"));
            received.add(new Received(delivery, doc.get("attempt").asInt(), exchange.getRequestHeaders().getFirst("X-Ferry-Event"),
                    doc.at("/event/phase").asText(), exchange.getRequestHeaders().getFirst("X-Ferry-Signature"),
                    Long.parseLong(exchange.getRequestHeaders().getFirst("X-Ferry-Timestamp")), body));
            // Every third delivery fails on its first attempt.
            int status = delivery % 3 == 0 && refusedOnce.add(delivery) ? 500 : 204;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    static Map<Phase, Step> steps() {
        Map<Phase, Step> steps = new EnumMap<>(Phase.class);
        Lifecycle.PIPELINE.forEach(p -> steps.put(p, ScriptedStep.of("done")));
        return steps;
    }

    String url() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @Test
    void everyPhaseChangeArrivesOncePerAttemptSignedAndRetriedWhenRefused() throws Exception {
        try (DaemonFixture d = new DaemonFixture(dir, steps())) {
            JsonNode hook = json(d.post("/api/v1/webhooks", "{\"url\": \"" + url() + "\", \"events\": [\"phase.*\"]}"), 201);
            String secret = hook.get("secret").asText();
            assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
            long hookId = hook.get("id").asLong();

            long id = d.startMigration(d.registerHost("web1"));
            int expected = 2 * Lifecycle.PIPELINE.size();
            awaitDelivered(d, hookId, expected);

            List<Received> firsts = received.stream().filter(r -> r.attempt() == 1).toList();
            assertThat(firsts).extracting(r -> r.kind() + "@" + r.phase()).containsExactlyInAnyOrderElementsOf(
                    Lifecycle.PIPELINE.stream().flatMap(p -> List.of("phase.started@" + p.id(), "phase.completed@" + p.id()).stream()).toList());
            // Each refused delivery came back once more, as attempt 2, with the same delivery id.
            for (long refused : refusedOnce) {
                assertThat(received.stream().filter(r -> r.delivery() == refused).map(Received::attempt)).containsExactly(1, 2);
            }
            assertThat(refusedOnce).isNotEmpty();
            assertThat(received).hasSize(expected + refusedOnce.size());
            for (Received r : received) {
                assertThat(r.signature()).isEqualTo(expectedSignature(secret, r.timestamp(), r.body()));
                assertThat(r.timestamp()).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(120L));
            }

            JsonNode deliveries = json(d.get("/api/v1/webhooks/" + hookId + "/deliveries?limit=1000"), 200);
            JsonNode retried = null;
            for (JsonNode delivery : deliveries) {
                if (refusedOnce.contains(delivery.get("id").asLong())) {
                    retried = delivery;
                }
            }
            assertThat(retried).isNotNull();
            assertThat(retried.get("status").asText()).isEqualTo("delivered");
            assertThat(retried.get("history")).hasSize(2);
            assertThat(retried.at("/history/0/httpStatus").asInt()).isEqualTo(500);
            assertThat(retried.at("/history/1/httpStatus").asInt()).isEqualTo(204);

            // The secret was shown once, at creation, and nowhere since.
            assertThat(d.get("/api/v1/webhooks").body()).doesNotContain(secret);
            assertThat(d.get("/api/v1/webhooks/" + hookId).body()).doesNotContain(secret);
            assertThat(d.get("/api/v1/migrations/" + id + "/events").body()).doesNotContain(secret);
            assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains(secret));
        }
    }

    @Test
    void eventsFromBeforeARestartAreDeliveredAfterIt() throws Exception {
        long hookId;
        String secret = "a-secret-the-operator-chose-1234";
        try (DaemonFixture d = new DaemonFixture(dir, steps())) {
            receiver.stop(0);
            hookId = json(d.post("/api/v1/webhooks", "{\"url\": \"" + url() + "\", \"secret\": \"" + secret + "\"}"), 201)
                    .get("id").asLong();
            long id = d.startMigration(d.registerHost("web1"));
            Instant deadline = Instant.now().plusSeconds(60);
            while (!json(d.get("/api/v1/migrations/" + id), 200).get("status").asText().equals("completed")) {
                assertThat(Instant.now()).isBefore(deadline);
                Thread.sleep(100);
            }
        }
        // The receiver comes back on the same port while ferryd is down; ferryd restarts on the same data.
        startReceiver(receiver.getAddress().getPort());
        try (DaemonFixture d = new DaemonFixture(dir, steps())) {
            awaitDelivered(d, hookId, 2 * Lifecycle.PIPELINE.size() + 2);
            assertThat(received.stream().map(Received::kind)).contains("migration.completed", "phase.completed");
            for (Received r : received) {
                assertThat(r.signature()).isEqualTo(expectedSignature(secret, r.timestamp(), r.body()));
            }
        }
    }

    static void awaitDelivered(DaemonFixture d, long hookId, int atLeast) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(90);
        List<String> statuses = new ArrayList<>();
        while (Instant.now().isBefore(deadline)) {
            JsonNode deliveries = json(d.get("/api/v1/webhooks/" + hookId + "/deliveries?limit=1000"), 200);
            statuses.clear();
            deliveries.forEach(x -> statuses.add(x.get("status").asText()));
            if (statuses.size() >= atLeast && statuses.stream().allMatch("delivered"::equals)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("deliveries not all delivered: " + statuses);
    }

    static String expectedSignature(String secret, long timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }
}
