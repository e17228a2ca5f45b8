package dev.ferry.daemon.engine;

import static dev.ferry.daemon.DaemonFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.daemon.DaemonFixture;
import dev.ferry.migrations.step.Step;
import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.Phase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With short real windows (every 20 seconds, open 8): a migration starts inside its window, holds before cutover
 * once the window has closed, survives a daemon restart while held, and cuts over in a later window.
 */
class MaintenanceWindowIT {

    static final String CRON = "0/20 * * * * ?";
    static final Duration OPEN = Duration.ofSeconds(8);

    @TempDir
    Path dir;

    @Test
    void aMigrationStartsInItsWindowHoldsBeforeCutoverOutsideItAndGoesOnInTheNextAcrossARestart() throws Exception {
        Map<Phase, Step> steps = new EnumMap<>(Phase.class);
        Lifecycle.PIPELINE.forEach(p -> steps.put(p, ScriptedStep.of("done")));
        // The copy outlasts the window, so the cutover cannot begin in the window the migration started in.
        steps.put(Phase.COPY, ScriptedStep.of("wait:9000", "done"));
        WindowSchedule schedule = WindowSchedule.of(CRON, OPEN, "UTC");
        long id;
        try (DaemonFixture d = new DaemonFixture(dir, steps)) {
            json(d.post("/api/v1/windows", """
                    {"name": "every-20s", "cron": "%s", "durationMinutes": 1, "timeZone": "UTC"}""".formatted(CRON)), 201);
            // durationMinutes is at least a minute through the API; shorten it in the store for a fast test.
            d.ferryd().store().useTransaction(tx -> {
                tx.windows().delete("every-20s");
                tx.windows().insert("every-20s", CRON, OPEN, "UTC");
            });
            waitUntilClosed(schedule);
            long host = d.registerHost("web1");
            id = json(d.post("/api/v1/migrations", "{\"hostId\": " + host + ", \"window\": \"every-20s\"}"), 201)
                    .get("id").asLong();
            JsonNode held = waitFor(d, id, m -> m.has("holdReason"));
            assertThat(held.get("status").asText()).isEqualTo("queued");
            assertThat(held.get("holdReason").asText()).startsWith("starts when window 'every-20s' opens at");

            JsonNode beforeCutover = waitFor(d, id, m -> m.get("phase").asText().equals("cutover")
                    && m.has("holdReason"));
            assertThat(beforeCutover.get("status").asText()).isEqualTo("waiting");
            assertThat(beforeCutover.get("holdReason").asText()).startsWith("cutover begins when window 'every-20s' opens at");
        }
        // A restart while held: the hold and its timer come back from the store.
        try (DaemonFixture d = new DaemonFixture(dir, steps)) {
            waitFor(d, id, m -> m.get("status").asText().equals("completed"));
            JsonNode events = json(d.get("/api/v1/migrations/" + id + "/events?limit=1000"), 200);
            Instant started = at(events, "migration.started", "inventory");
            Instant cutover = at(events, "phase.started", "cutover");
            Instant cutoverBegan = at(events, "migration.released", "cutover");
            assertThat(schedule.isOpen(started)).as("started at " + started).isTrue();
            assertThat(schedule.isOpen(cutover)).as("cutover phase entered at " + cutover).isFalse();
            assertThat(schedule.isOpen(cutoverBegan)).as("cutover began at " + cutoverBegan).isTrue();
            assertThat(schedule.openedAt(cutoverBegan)).isAfter(schedule.openedAt(started));
            assertThat(StreamSupport.stream(events.spliterator(), false).map(e -> e.get("kind").asText()))
                    .contains("migration.held", "migration.released");
        }
    }

    static void waitUntilClosed(WindowSchedule schedule) throws InterruptedException {
        while (schedule.isOpen(Instant.now()) || Duration.between(Instant.now(), schedule.nextOpening(Instant.now()))
                .compareTo(Duration.ofSeconds(3)) < 0) {
            Thread.sleep(200);
        }
    }

    static Instant at(JsonNode events, String kind, String phase) {
        return StreamSupport.stream(events.spliterator(), false)
                .filter(e -> e.get("kind").asText().equals(kind) && e.get("phase").asText().equals(phase))
                .map(e -> Instant.parse(e.get("at").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + phase + ": " + events));
    }

    static JsonNode waitFor(DaemonFixture d, long id, java.util.function.Predicate<JsonNode> condition)
            throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(90);
        JsonNode m;
        do {
            m = json(d.get("/api/v1/migrations/" + id), 200);
            if (condition.test(m)) {
                return m;
            }
            Thread.sleep(200);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("migration " + id + " never got there; it is " + m);
    }
}
