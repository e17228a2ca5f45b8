package dev.ferry.daemon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.daemon.Ferryd;
import dev.ferry.state.event.Event;
import dev.ferry.state.host.HostSpec;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.migration.MigrationFilter;
import dev.ferry.state.migration.MigrationOptions;
import dev.ferry.state.testdb.PostgresServer;
import dev.ferry.state.workflow.MigrationStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two daemons, each in its own process, on one PostgreSQL database with Quartz clustering: they share the
 * migrations, a migration's steps never run on both at once, every phase completes exactly once, and when one
 * daemon dies the other finishes its migrations.
 */
class ClusteredDaemonsIT {

    static final int MIGRATIONS = 12;

    @TempDir
    Path dir;

    @Test
    void twoDaemonsShareTheWorkEachPhaseCompletesOnceAndTheSurvivorFinishes() throws Exception {
        try (PostgresServer pg = PostgresServer.start()) {
            Process nodeB = startNode("node-b", pg);
            try (Ferryd nodeA = ClusterNode.start("node-a", dir.resolve("a"), pg.jdbcUrl(), pg.user(), pg.password())) {
                for (int i = 1; i <= MIGRATIONS; i++) {
                    HostSpec spec = new HostSpec("web" + i, "192.0.2." + i, 22, "root", null, false, null, null, null,
                            true, null);
                    long host = nodeA.store().inTransaction(tx -> tx.hosts().insert(spec)).id();
                    nodeA.control().create(host, MigrationOptions.defaults());
                }
                // Let both work for a while, then kill node B mid-way: node A must finish everything.
                Thread.sleep(4000);
                nodeB.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                awaitAllCompleted(nodeA, Duration.ofSeconds(180));

                Map<String, Integer> stepsByNode = new HashMap<>();
                for (Migration m : nodeA.store().inTransaction(tx -> tx.migrations().list(MigrationFilter.all(), 0, 100).items())) {
                    List<Event> events = nodeA.store().inTransaction(tx -> tx.events().forMigration(m.id(), 0, 10_000));
                    CrashRecoveryIT.assertCompleteAndOrdered(events);
                    assertNoOverlap(m, events);
                    events.stream().filter(e -> e.kind().equals("test.step") && e.details().get("edge").equals("begin"))
                            .forEach(e -> stepsByNode.merge((String) e.details().get("node"), 1, Integer::sum));
                }
                System.out.println("step runs by node: " + stepsByNode);
                assertThat(stepsByNode).containsKeys("node-a", "node-b");
            } finally {
                nodeB.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** A step that began must end before the next one of the same migration begins, whichever node ran it. */
    static void assertNoOverlap(Migration m, List<Event> events) {
        String open = null;
        for (Event e : events.stream().filter(e -> e.kind().equals("test.step")).toList()) {
            String node = (String) e.details().get("node");
            if (e.details().get("edge").equals("begin")) {
                // A begin after a begin with no end means a killed step (node B's death) or an overlap: only the
                // first is acceptable, and only for the node that died.
                assertThat(open == null || open.equals("node-b")).as("migration " + m.id() + " ran on " + open
                        + " and " + node + " at once").isTrue();
                open = node;
            } else {
                assertThat(node).isEqualTo(open);
                open = null;
            }
        }
    }

    Process startNode(String node, PostgresServer pg) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(javaBin, "-cp", classpath, "-Xmx256m", ClusterNode.class.getName(), node,
                dir.resolve(node).toString(), pg.jdbcUrl(), pg.user(), pg.password())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.equals("STARTED " + node)) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException ignored) {
                        // the node was killed
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return p;
            }
        }
        throw new AssertionError("node " + node + " did not start:\n" + seen);
    }

    static void awaitAllCompleted(Ferryd d, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        List<Migration> all = List.of();
        while (Instant.now().isBefore(deadline)) {
            all = d.store().inTransaction(tx -> tx.migrations().list(MigrationFilter.all(), 0, 100).items());
            if (!all.isEmpty() && all.stream().allMatch(m -> m.status() == MigrationStatus.COMPLETED)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not all migrations completed within " + within + ": "
                + all.stream().map(m -> m.id() + " " + m.phase() + " " + m.status()).collect(Collectors.joining(", ")));
    }
}
