package dev.ferry.daemon.engine;

import static dev.ferry.daemon.DaemonFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.daemon.DaemonFixture;
import dev.ferry.daemon.config.FerryConfig;
import dev.ferry.migrations.step.Step;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.migration.MigrationFilter;
import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 50 migrations started at once under a limit of 5: never more than 5 hold a slot, and all complete. */
class ConcurrencyLimitIT {

    @TempDir
    Path dir;

    @Test
    void fiftyMigrationsWithALimitOfFiveNeverRunMoreThanFiveAndAllComplete() throws Exception {
        Map<Phase, Step> steps = new EnumMap<>(Phase.class);
        Lifecycle.PIPELINE.forEach(p -> steps.put(p, ScriptedStep.of("wait:20", "done")));
        try (DaemonFixture d = new DaemonFixture(dir, steps, EngineListener.NONE,
                new FerryConfig.Concurrency(5, 2, Map.of()))) {
            for (int i = 1; i <= 50; i++) {
                json(d.post("/api/v1/hosts", """
                        {"name": "web%d", "address": "192.0.2.%d", "user": "root", "trustOnFirstUse": true,
                         "labels": {"batch": "saturday"}}""".formatted(i, i)), 201);
            }
            JsonNode batch = json(d.post("/api/v1/migrations", "{\"selector\": \"batch=saturday\"}"), 201);
            assertThat(batch.get("created")).hasSize(50);
            assertThat(batch.get("skipped")).isEmpty();

            // Watch the store from outside the engine, as often as it can be read.
            AtomicInteger mostRunning = new AtomicInteger();
            AtomicInteger mostCopying = new AtomicInteger();
            AtomicInteger mostQueued = new AtomicInteger();
            AtomicBoolean done = new AtomicBoolean();
            Thread watcher = new Thread(() -> {
                while (!done.get()) {
                    List<Migration> all = d.ferryd().store().inTransaction(tx -> tx.migrations()
                            .list(MigrationFilter.all(), 0, 100).items());
                    mostRunning.accumulateAndGet((int) all.stream().filter(m -> Lifecycle.holdsSlot(m.status())).count(), Math::max);
                    mostCopying.accumulateAndGet((int) all.stream().filter(Admission::holdsCopySlot).count(), Math::max);
                    mostQueued.accumulateAndGet((int) all.stream().filter(m -> m.status() == MigrationStatus.QUEUED).count(), Math::max);
                    if (all.stream().allMatch(m -> m.status() == MigrationStatus.COMPLETED)) {
                        done.set(true);
                    }
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            watcher.start();

            // While they run, the queue shows who waits and in which order.
            JsonNode queue = json(d.get("/api/v1/queue"), 200);
            if (!queue.isEmpty()) {
                assertThat(queue.get(0).get("position").asInt()).isEqualTo(1);
                assertThat(queue.get(0).at("/migration/holdReason").asText()).contains("place");
            }

            Instant deadline = Instant.now().plusSeconds(240);
            while (!done.get() && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            done.set(true);
            watcher.join();

            List<Migration> all = d.ferryd().store().inTransaction(tx -> tx.migrations().list(MigrationFilter.all(), 0, 100).items());
            assertThat(all).hasSize(50).allMatch(m -> m.status() == MigrationStatus.COMPLETED);
            System.out.println("most running at once: " + mostRunning + ", copying: " + mostCopying + ", queued: " + mostQueued);
            assertThat(mostRunning.get()).isEqualTo(5);
            assertThat(mostCopying.get()).isBetween(1, 2);
            assertThat(mostQueued.get()).isGreaterThanOrEqualTo(40);
            assertThat(json(d.get("/api/v1/queue"), 200)).isEmpty();
        }
    }
}
