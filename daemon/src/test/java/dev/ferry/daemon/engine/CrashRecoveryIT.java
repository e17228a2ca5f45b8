package dev.ferry.daemon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.state.DatabaseSettings;
import dev.ferry.state.Store;
import dev.ferry.state.event.Event;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.migration.MigrationFilter;
import dev.ferry.state.migration.StepOutput;
import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real ferryd (a child JVM on an H2 file) with SIGKILL at 25 points spread over the engine's durable
 * steps and the phases, restarting it after each kill, then lets it finish. Every migration must complete with
 * each phase completed exactly once and an event log that is complete and in order.
 */
class CrashRecoveryIT {

    static final int MIGRATIONS = 3;
    static final int KILLS = 25;

    @TempDir
    Path dir;

    record Kill(String point, String phase) {
    }

    @Test
    void everyMigrationFinishesExactlyOnceAcrossSigkillsAtTwentyFivePoints() throws Exception {
        Path data = dir.resolve("data");
        Path log = dir.resolve("children.log");
        List<Kill> kills = new ArrayList<>();
        for (int round = 0; round < KILLS; round++) {
            String point = CrashTestDaemon.POINTS.get(round % CrashTestDaemon.POINTS.size());
            Phase phase = Lifecycle.PIPELINE.get(round * Lifecycle.PIPELINE.size() / KILLS);
            String outcome = runChild(data, point + ":" + phase.id(), log);
            assertThat(outcome).as("round " + round + " (see " + log + ")").startsWith("KILL-READY");
            String[] parts = outcome.split(" ");
            kills.add(new Kill(parts[1], parts[2]));
        }
        assertThat(runChild(data, "none", log)).isEqualTo("ALL-DONE");

        Map<String, Long> byPoint = kills.stream().collect(Collectors.groupingBy(Kill::point, Collectors.counting()));
        Map<String, Long> byPhase = kills.stream().collect(Collectors.groupingBy(Kill::phase, Collectors.counting()));
        System.out.println("kills by point: " + byPoint + "; by phase: " + byPhase);
        assertThat(kills).hasSize(KILLS);
        assertThat(byPoint.keySet()).containsExactlyInAnyOrderElementsOf(CrashTestDaemon.POINTS);
        assertThat(byPhase.keySet()).as("phases hit").containsAll(
                Lifecycle.PIPELINE.stream().map(Phase::id).toList());

        try (Store store = Store.open(DatabaseSettings.h2In(data), Clock.systemUTC())) {
            List<Migration> all = store.inTransaction(tx -> tx.migrations().list(MigrationFilter.all(), 0, 100).items());
            assertThat(all).hasSize(MIGRATIONS);
            for (Migration m : all) {
                assertThat(m.status()).isEqualTo(MigrationStatus.COMPLETED);
                assertThat(m.phase()).isEqualTo(Phase.DONE);
                List<StepOutput> outputs = store.inTransaction(tx -> tx.outputs().forMigration(m.id()));
                assertThat(outputs).extracting(StepOutput::phase).containsExactlyInAnyOrderElementsOf(Lifecycle.PIPELINE);
                assertCompleteAndOrdered(store.inTransaction(tx -> tx.events().forMigration(m.id(), 0, 10_000)));
            }
        }
    }

    /** created, started, then each phase started and completed once in pipeline order, then completed. */
    static void assertCompleteAndOrdered(List<Event> events) {
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).id()).isGreaterThan(events.get(i - 1).id());
            assertThat(events.get(i).at()).isAfterOrEqualTo(events.get(i - 1).at());
        }
        List<String> milestones = events.stream()
                .filter(e -> e.kind().startsWith("phase.") || List.of("migration.created", "migration.started",
                        "migration.completed").contains(e.kind()))
                .map(e -> e.kind() + "@" + e.phase().id()).toList();
        List<String> expected = new ArrayList<>(List.of("migration.created@inventory", "migration.started@inventory"));
        for (Phase p : Lifecycle.PIPELINE) {
            expected.add("phase.started@" + p.id());
            expected.add("phase.completed@" + p.id());
        }
        expected.add("migration.completed@done");
        assertThat(milestones).containsExactlyElementsOf(expected);
    }

    /** Runs the child until it says KILL-READY (then SIGKILLs it) or ALL-DONE (then stops it); returns that line. */
    String runChild(Path data, String killSpec, Path log) throws IOException, InterruptedException {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(javaBin, "-cp", classpath, "-Xmx256m", CrashTestDaemon.class.getName(),
                data.toString(), Integer.toString(MIGRATIONS), killSpec)
                .redirectErrorStream(true)
                .start();
        Map<String, String> last = new LinkedHashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                if (line.startsWith("KILL-READY") || line.equals("ALL-DONE")) {
                    child.destroyForcibly();
                    child.waitFor(30, TimeUnit.SECONDS);
                    return line;
                }
                last.put("line", line);
            }
        } finally {
            if (child.isAlive()) {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
        }
        return "EXITED (exit " + child.exitValue() + ", last line: " + last.get("line") + ")";
    }
}
