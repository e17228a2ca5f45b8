package dev.ferry.daemon.engine;

import dev.ferry.daemon.Ferryd;
import dev.ferry.daemon.cluster.LazyCluster;
import dev.ferry.daemon.config.FerryConfig;
import dev.ferry.migrations.step.Step;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.state.host.HostSpec;
import dev.ferry.state.host.SshAuth;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.migration.MigrationOptions;
import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The child process of {@code CrashRecoveryIT}: a real ferryd on an H2 file with scripted steps. It prints every
 * engine point it passes; when it reaches the n-th occurrence of the point it was told to die at, it prints
 * {@code KILL-READY} and stops that thread until the parent sends SIGKILL. It prints {@code ALL-DONE} once every
 * migration has finished.
 *
 * <p>Arguments: data directory, migration count, kill spec: {@code none}, or {@code <point>:<phase>} to die at the
 * first time any migration passes that point in that phase or a later one (phases only move forward, so every
 * target is reached).
 */
public final class CrashTestDaemon {

    static final List<String> POINTS = List.of("step-starting", "in-step", "step-finished", "committed", "scheduled");

    private static final PrintStream OUT = System.out;

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int migrations = Integer.parseInt(args[1]);
        String[] spec = args[2].split(":");
        String killPoint = spec[0];
        Phase killFrom = spec.length > 1 ? Phase.fromId(spec[1]) : null;

        PointListener points = (point, phase, migration) -> {
            synchronized (OUT) {
                OUT.println("POINT " + point + " " + phase.id() + " m=" + migration);
                if (point.equals(killPoint) && killFrom != null && phase.compareTo(killFrom) >= 0) {
                    OUT.println("KILL-READY " + point + " " + phase.id() + " m=" + migration);
                    OUT.flush();
                    sleepForever();
                }
                OUT.flush();
            }
        };

        Map<Phase, Step> steps = new EnumMap<>(Phase.class);
        for (Phase p : Lifecycle.PIPELINE) {
            List<String> script = p == Phase.BUILD ? List.of("retry", "wait:50", "done") : List.of("wait:50", "done");
            steps.put(p, new ScriptedStep(script, (ctx, run) ->
                    points.reached("in-step", ctx.migration().phase(), ctx.migration().id())));
        }
        EngineListener listener = new EngineListener() {
            @Override
            public void stepStarting(Migration m) {
                points.reached("step-starting", m.phase(), m.id());
            }

            @Override
            public void stepFinished(Migration m, StepResult result, Duration took) {
                points.reached("step-finished", m.phase(), m.id());
            }

            @Override
            public void committed(Migration before, Migration after) {
                points.reached("committed", before.phase(), before.id());
            }

            @Override
            public void scheduled(Migration m) {
                points.reached("scheduled", m.phase(), m.id());
            }
        };

        FerryConfig d = FerryConfig.defaults();
        FerryConfig config = new FerryConfig(dataDir, new FerryConfig.Api("127.0.0.1", 0, "crash-test-token-123456", 65536),
                d.database(), new FerryConfig.Engine(3, 1, false, "crash-test", new FerryConfig.Retry(1, 1.0, 1, 5)),
                d.concurrency(), d.ssh(), d.webhooks(), d.log(), d.kubernetes(), d.cutover());
        Ferryd ferryd = Ferryd.start(config, steps, listener, Clock.systemUTC(),
                LazyCluster.none());
        seed(ferryd, migrations);
        OUT.println("STARTED");
        OUT.flush();
        while (true) {
            List<Migration> all = ferryd.store().inTransaction(tx -> tx.migrations()
                    .list(dev.ferry.state.migration.MigrationFilter.all(), 0, 1000).items());
            if (all.size() == migrations && all.stream().allMatch(m -> m.status() == MigrationStatus.COMPLETED)) {
                synchronized (OUT) {
                    OUT.println("ALL-DONE");
                    OUT.flush();
                }
                sleepForever();
            }
            Thread.sleep(100);
        }
    }

    /** Creates what is missing of the hosts and their migrations: a crash during seeding is resumed, too. */
    private static void seed(Ferryd ferryd, int count) {
        for (int i = 1; i <= count; i++) {
            String name = "crash-" + i;
            long hostId = ferryd.store().inTransaction(tx -> tx.hosts().findByName(name).orElseGet(() ->
                    tx.hosts().insert(new HostSpec(name, "192.0.2." + name.length(), 22, "root", SshAuth.agent(), false,
                            null, null, null, true, null)))).id();
            boolean hasMigration = !ferryd.store().inTransaction(tx -> tx.migrations().list(
                    new dev.ferry.state.migration.MigrationFilter(null, null, hostId), 0, 1).items()).isEmpty();
            if (!hasMigration) {
                ferryd.control().create(hostId, MigrationOptions.defaults());
            }
        }
    }

    private static void sleepForever() {
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // the parent's SIGKILL ends this
            }
        }
    }

    @FunctionalInterface
    interface PointListener {
        void reached(String point, Phase phase, long migration);
    }
}
