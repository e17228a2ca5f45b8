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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine end to end in one process: Quartz on H2, scripted steps, driven through the REST API. */
class MigrationEngineIT {

    @TempDir
    Path dir;

    static Map<Phase, Step> allPhases(String... script) {
        Map<Phase, Step> steps = new EnumMap<>(Phase.class);
        Lifecycle.PIPELINE.forEach(p -> steps.put(p, ScriptedStep.of(script)));
        return steps;
    }

    static JsonNode awaitStatus(DaemonFixture d, long id, String... statuses) {
        return d.awaitStatus(id, statuses);
    }

    static List<String> kinds(DaemonFixture d, long id) {
        JsonNode events = json(d.get("/api/v1/migrations/" + id + "/events?limit=1000"), 200);
        return StreamSupport.stream(events.spliterator(), false)
                .map(e -> e.get("kind").asText() + (e.has("phase") ? "@" + e.get("phase").asText() : "")).toList();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aMigrationPassesEveryPhaseOnceInOrderAndCompletes() {
        try (DaemonFixture d = new DaemonFixture(dir, allPhases("wait:50", "done"))) {
            long id = d.startMigration(d.registerHost("web1"));
            JsonNode m = awaitStatus(d, id, "completed");
            assertThat(m.get("phase").asText()).isEqualTo("done");

            List<String> completed = kinds(d, id).stream().filter(k -> k.startsWith("phase.completed")).toList();
            assertThat(completed).containsExactlyElementsOf(
                    Lifecycle.PIPELINE.stream().map(p -> "phase.completed@" + p.id()).toList());
            List<String> all = kinds(d, id);
            assertThat(all.get(0)).isEqualTo("migration.created@inventory");
            assertThat(all.get(all.size() - 1)).isEqualTo("migration.completed@done");
            // One waiting event per phase: a repeated reason is not logged again.
            assertThat(all.stream().filter(k -> k.startsWith("step.waiting"))).hasSize(Lifecycle.PIPELINE.size());

            JsonNode phases = m.get("phases");
            assertThat(phases).hasSize(Lifecycle.PIPELINE.size());
            for (JsonNode p : phases) {
                assertThat(p.get("durationMillis").asLong()).isGreaterThanOrEqualTo(40);
                assertThat(p.get("contentHash").asText()).hasSize(64);
                assertThat(p.get("summary").asText()).isEqualTo("scripted after 2 run(s)");
            }
        }
    }

    @Test
    void aCutoverThatNeedsApprovalWaitsForItThenGoesAhead() {
        try (DaemonFixture d = new DaemonFixture(dir, allPhases("done"))) {
            long host = d.registerHost("web-approve");
            long id = json(d.post("/api/v1/migrations", "{\"hostId\": " + host + ", \"approveCutover\": true}"), 201)
                    .get("id").asLong();
            JsonNode held = awaitHold(d, id, "waiting for approval");
            assertThat(held.get("phase").asText()).isEqualTo("cutover");
            assertThat(held.get("holdReason").asText())
                    .isEqualTo("waiting for approval: cutover begins after POST /api/v1/migrations/" + id + "/approve");
            assertThat(kinds(d, id)).doesNotContain("phase.completed@cutover");

            JsonNode approved = json(d.post("/api/v1/migrations/" + id + "/approve", ""), 200);
            assertThat(approved.get("id").asLong()).isEqualTo(id);
            awaitStatus(d, id, "completed");
            assertThat(kinds(d, id)).contains("operator.approved@cutover", "phase.completed@cutover");
            assertThat(json(d.post("/api/v1/migrations/" + id + "/approve", ""), 409).get("detail").asText())
                    .contains("already happened");
        }
    }

    @Test
    void aMigrationWithoutTheApprovalOptionCannotBeApproved() {
        try (DaemonFixture d = new DaemonFixture(dir, allPhases("wait:60000"))) {
            long id = d.startMigration(d.registerHost("web-no-approval"));
            assertThat(json(d.post("/api/v1/migrations/" + id + "/approve", ""), 409).get("detail").asText())
                    .contains("created without approveCutover");
        }
    }

    @Test
    void aFailedCheckAfterTheCutoverRollsItBackAtOnce() {
        Map<Phase, Step> steps = allPhases("done");
        steps.put(Phase.VERIFY_AFTER, ScriptedStep.of("fail"));
        steps.put(Phase.ROLLBACK, ScriptedStep.of("done"));
        try (DaemonFixture d = new DaemonFixture(dir, steps)) {
            long id = d.startMigration(d.registerHost("web-rollback"));
            JsonNode m = awaitStatus(d, id, "rolled-back");
            assertThat(m.get("phase").asText()).isEqualTo("rollback");
            assertThat(m.get("lastError").asText()).isEqualTo("scripted permanent failure (run 1)");
            List<String> kinds = kinds(d, id);
            assertThat(kinds).containsSubsequence("phase.started@verify-after", "rollback.started@verify-after",
                    "phase.started@rollback", "phase.completed@rollback", "migration.rolled-back@rollback");
            assertThat(kinds).doesNotContain("migration.failed@verify-after", "migration.completed@done");
            // Final: nothing leads out of it.
            json(d.post("/api/v1/migrations/" + id + "/rollback", ""), 409);
            json(d.post("/api/v1/migrations/" + id + "/retry", ""), 409);
        }
    }

    @Test
    void anOperatorRollsBackACompletedMigrationButNotOneThatHasNotCutOver() {
        Map<Phase, Step> steps = allPhases("done");
        steps.put(Phase.ROLLBACK, ScriptedStep.of("done"));
        steps.put(Phase.BUILD, ScriptedStep.of("wait:60000"));
        try (DaemonFixture d = new DaemonFixture(dir, steps)) {
            long early = d.startMigration(d.registerHost("web-early"));
            awaitStatus(d, early, "waiting");
            assertThat(json(d.post("/api/v1/migrations/" + early + "/rollback", ""), 409).get("detail").asText())
                    .contains("nothing to undo");
        }
        steps.put(Phase.BUILD, ScriptedStep.of("done"));
        try (DaemonFixture d = new DaemonFixture(dir.resolve("second"), steps)) {
            long id = d.startMigration(d.registerHost("web-done"));
            awaitStatus(d, id, "completed");
            JsonNode rolling = json(d.post("/api/v1/migrations/" + id + "/rollback", ""), 200);
            assertThat(rolling.get("phase").asText()).isEqualTo("rollback");
            assertThat(rolling.get("status").asText()).isEqualTo("scheduled");
            awaitStatus(d, id, "rolled-back");
            assertThat(kinds(d, id)).contains("rollback.started@rollback", "operator.rolled-back@done",
                    "migration.rolled-back@rollback");
        }
    }

    static JsonNode awaitHold(DaemonFixture d, long id, String reasonStart) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode m = json(d.get("/api/v1/migrations/" + id), 200);
            if (m.hasNonNull("holdReason") && m.get("holdReason").asText().startsWith(reasonStart)) {
                return m;
            }
            assertThat(System.nanoTime()).as("migration " + id + " never held for " + reasonStart + ": " + m)
                    .isLessThan(deadline);
            sleep(50);
        }
    }

    @Test
    void aRetryableFailureBacksOffAndThenSucceeds() {
        Map<Phase, Step> steps = allPhases("done");
        steps.put(Phase.BUILD, ScriptedStep.of("retry", "throw-transient", "done"));
        try (DaemonFixture d = new DaemonFixture(dir, steps)) {
            long id = d.startMigration(d.registerHost("web2"));
            awaitStatus(d, id, "completed");
            List<String> kinds = kinds(d, id);
            assertThat(kinds.stream().filter(k -> k.equals("step.retry@build"))).hasSize(2);
            JsonNode events = json(d.get("/api/v1/migrations/" + id + "/events?limit=1000"), 200);
            List<Instant> retries = new ArrayList<>();
            events.forEach(e -> {
                if (e.get("kind").asText().equals("step.retry")) {
                    retries.add(Instant.parse(e.get("at").asText()));
                }
            });
            Instant completedBuild = StreamSupport.stream(events.spliterator(), false)
                    .filter(e -> e.get("kind").asText().equals("phase.completed") && e.get("phase").asText().equals("build"))
                    .map(e -> Instant.parse(e.get("at").asText())).findFirst().orElseThrow();
            // Backoff 1s, then 2s (capped at 2s).
            assertThat(Duration.between(retries.get(0), retries.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertThat(Duration.between(retries.get(1), completedBuild)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        }
    }

    @Test
    void whenRetriesRunOutTheMigrationFailsAndAnOperatorRetryRunsThePhaseAgain() {
        Map<Phase, Step> steps = allPhases("done");
        steps.put(Phase.COPY, ScriptedStep.of("retry", "retry", "retry", "done"));
        try (DaemonFixture d = new DaemonFixture(dir, steps)) {
            long id = d.startMigration(d.registerHost("web3"));
            JsonNode failed = awaitStatus(d, id, "failed");
            assertThat(failed.get("phase").asText()).isEqualTo("copy");
            assertThat(failed.get("attempt").asInt()).isEqualTo(3);
            assertThat(failed.get("lastError").asText()).startsWith("gave up after 3 attempts");

            JsonNode retried = json(d.post("/api/v1/migrations/" + id + "/retry", ""), 200);
            assertThat(retried.get("status").asText()).isEqualTo("scheduled");
            assertThat(retried.get("attempt").asInt()).isEqualTo(1);
            awaitStatus(d, id, "completed");
            assertThat(kinds(d, id)).contains("operator.retried@copy");
        }
    }

    @Test
    void aPermanentFailureStopsAtOnceWithTheAdaptersMessage() {
        Map<Phase, Step> steps = allPhases("done");
        steps.put(Phase.PLAN, ScriptedStep.of("throw-permanent"));
        try (DaemonFixture d = new DaemonFixture(dir, steps)) {
            long id = d.startMigration(d.registerHost("web4"));
            JsonNode m = awaitStatus(d, id, "failed");
            assertThat(m.get("attempt").asInt()).isEqualTo(1);
            assertThat(m.get("lastError").asText()).isEqualTo("host key changed");
        }
    }

    @Test
    void anUnimplementedPhaseFailsTheMigrationWithAClearMessage() {
        Map<Phase, Step> steps = allPhases("done");
        steps.remove(Phase.DEPLOY);
        try (DaemonFixture d = new DaemonFixture(dir, steps)) {
            long id = d.startMigration(d.registerHost("web5"));
            JsonNode m = awaitStatus(d, id, "failed");
            assertThat(m.get("phase").asText()).isEqualTo("deploy");
            assertThat(m.get("lastError").asText()).contains("phase deploy is not implemented");
        }
    }

    @Test
    void anUnexpectedExceptionFailsTheMigrationInsteadOfLooping() {
        Map<Phase, Step> steps = allPhases("done");
        steps.put(Phase.INVENTORY, ScriptedStep.of("throw-bug"));
        try (DaemonFixture d = new DaemonFixture(dir, steps)) {
            long id = d.startMigration(d.registerHost("web6"));
            assertThat(awaitStatus(d, id, "failed").get("lastError").asText())
                    .contains("unexpected error in the inventory step").contains("a bug");
        }
    }

    @Test
    void aPausedMigrationRunsNoStepUntilResumed() {
        Map<Phase, Step> steps = allPhases("done");
        steps.put(Phase.INVENTORY, ScriptedStep.of("wait:300", "wait:300", "wait:300", "wait:300", "done"));
        try (DaemonFixture d = new DaemonFixture(dir, steps)) {
            long id = d.startMigration(d.registerHost("web7"));
            awaitStatus(d, id, "waiting");
            assertThat(json(d.post("/api/v1/migrations/" + id + "/pause", ""), 200).get("status").asText())
                    .isEqualTo("paused");
            sleep(300);
            long before = kinds(d, id).size();
            sleep(1500);
            JsonNode paused = json(d.get("/api/v1/migrations/" + id), 200);
            assertThat(paused.get("status").asText()).isEqualTo("paused");
            assertThat(paused.get("phase").asText()).isEqualTo("inventory");
            assertThat(kinds(d, id)).hasSize((int) before);

            json(d.post("/api/v1/migrations/" + id + "/resume", ""), 200);
            awaitStatus(d, id, "completed");
            assertThat(kinds(d, id)).contains("operator.paused@inventory", "operator.resumed@inventory");
        }
    }

    @Test
    void aCancelledMigrationIsFinal() {
        Map<Phase, Step> steps = allPhases("done");
        steps.put(Phase.INVENTORY, ScriptedStep.of("wait:200"));
        try (DaemonFixture d = new DaemonFixture(dir, steps)) {
            long host = d.registerHost("web8");
            long id = d.startMigration(host);
            assertThat(json(d.post("/api/v1/migrations/" + id + "/cancel", ""), 200).get("status").asText())
                    .isEqualTo("cancelled");
            for (String action : List.of("resume", "retry", "pause", "cancel")) {
                JsonNode problem = json(d.post("/api/v1/migrations/" + id + "/" + action, ""), 409);
                assertThat(problem.get("type").asText()).isEqualTo("urn:ferry:problem:illegal-transition");
            }
            // With its only migration cancelled, the host can be migrated again.
            assertThat(d.startMigration(host)).isGreaterThan(id);
        }
    }

    @Test
    void aHostHasOneUnfinishedMigrationAtATime() {
        Map<Phase, Step> steps = allPhases("wait:1000");
        try (DaemonFixture d = new DaemonFixture(dir, steps)) {
            long host = d.registerHost("web9");
            d.startMigration(host);
            JsonNode problem = json(d.post("/api/v1/migrations", "{\"hostId\": " + host + "}"), 409);
            assertThat(problem.get("detail").asText()).contains("already has an unfinished migration");
        }
    }

    @Test
    void aMigrationWithAStartTimeWaitsForIt() {
        try (DaemonFixture d = new DaemonFixture(dir, allPhases("done"))) {
            long host = d.registerHost("web10");
            Instant start = Instant.now().plusSeconds(3);
            long id = json(d.post("/api/v1/migrations", "{\"hostId\": " + host + ", \"startAt\": \"" + start + "\"}"),
                    201).get("id").asLong();
            sleep(1000);
            assertThat(json(d.get("/api/v1/migrations/" + id), 200).get("status").asText()).isEqualTo("scheduled");
            awaitStatus(d, id, "completed");
            JsonNode events = json(d.get("/api/v1/migrations/" + id + "/events"), 200);
            Instant started = StreamSupport.stream(events.spliterator(), false)
                    .filter(e -> e.get("kind").asText().equals("migration.started"))
                    .map(e -> Instant.parse(e.get("at").asText())).findFirst().orElseThrow();
            assertThat(started).isAfterOrEqualTo(start.minusMillis(500));
        }
    }
}
