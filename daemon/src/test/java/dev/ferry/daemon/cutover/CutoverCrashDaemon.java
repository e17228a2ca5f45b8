package dev.ferry.daemon.cutover;

import dev.ferry.daemon.Ferryd;
import dev.ferry.daemon.Steps;
import dev.ferry.daemon.cluster.LazyCluster;
import dev.ferry.daemon.config.FerryConfig;
import dev.ferry.daemon.engine.EngineListener;
import dev.ferry.migrations.port.CommandResult;
import dev.ferry.migrations.port.Ports;
import dev.ferry.migrations.port.RemoteCommand;
import dev.ferry.migrations.port.RemoteShell;
import dev.ferry.migrations.port.RemoteShells;
import dev.ferry.migrations.step.Step;
import dev.ferry.migrations.step.StepContext;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.state.host.Host;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.workflow.Phase;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The child process of {@code CutoverCrashIT}: the real ferryd with the product's steps on an H2 file, reaching the
 * parent's mock API server through {@code $KUBECONFIG} and the real legacy host over SSH. The cutover and rollback
 * steps see their context through a window that prints every point they pass: each checkpoint saved
 * ({@code cutover/saved:target=PROXY}), each edge script before and after it ran ({@code cutover/edge-after:edge-proxy}),
 * and the step's end ({@code cutover/step-finished}). At the point it was told to die at it prints
 * {@code KILL-READY <point>} and stops until the parent's SIGKILL. At {@code .../edge-half:...} it first runs the
 * edge script cut short after its first file is written, as a script killed by a dropped connection would be.
 *
 * <p>Arguments: data directory, ingress address, the point to die at (or {@code none}).
 */
public final class CutoverCrashDaemon {

    static final String TOKEN = "cutover-crash-token-0123456789";
    private static final PrintStream OUT = System.out;

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        String ingress = args[1];
        String killAt = args[2];

        FerryConfig d = FerryConfig.defaults();
        FerryConfig config = new FerryConfig(dataDir, new FerryConfig.Api("127.0.0.1", 0, TOKEN, 65536), d.database(),
                new FerryConfig.Engine(4, 1, false, "cutover-crash", new FerryConfig.Retry(1, 1.0, 1, 5)),
                d.concurrency(), d.ssh(), d.webhooks(), d.log(), d.kubernetes(),
                new FerryConfig.Cutover(ingress, 80, 443, true, 30));
        Map<Phase, Step> steps = new EnumMap<>(Steps.product(config, null));
        for (Phase p : new Phase[] {Phase.CUTOVER, Phase.ROLLBACK}) {
            Step inner = steps.get(p);
            steps.put(p, ctx -> inner.run(new Watched(ctx, killAt)));
        }
        EngineListener listener = new EngineListener() {
            @Override
            public void stepFinished(Migration m, StepResult result, Duration took) {
                if ((m.phase() == Phase.CUTOVER || m.phase() == Phase.ROLLBACK) && result instanceof StepResult.Done) {
                    point(m.phase() + "/step-finished", killAt);
                }
            }
        };
        Ferryd ferryd = Ferryd.start(config, steps, listener, Clock.systemUTC(), new LazyCluster(null));
        synchronized (OUT) {
            OUT.println("STARTED " + ferryd.apiPort());
            OUT.flush();
        }
        while (true) {
            Thread.sleep(60_000);
        }
    }

    static void point(String label, String killAt) {
        synchronized (OUT) {
            OUT.println("POINT " + label);
            if (label.equals(killAt)) {
                OUT.println("KILL-READY " + label);
                OUT.flush();
                while (true) {
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        // only the parent's SIGKILL ends this
                    }
                }
            }
            OUT.flush();
        }
    }

    /** The step's context, reporting the points the step passes. */
    record Watched(StepContext inner, String killAt) implements StepContext {

        String at(String what) {
            return inner.migration().phase() + "/" + what;
        }

        @Override
        public Migration migration() {
            return inner.migration();
        }

        @Override
        public Host host() {
            return inner.host();
        }

        @Override
        public <T> Optional<T> output(Phase phase, Class<T> type) {
            return inner.output(phase, type);
        }

        @Override
        public <T> Optional<T> checkpoint(Phase phase, String name, Class<T> type) {
            return inner.checkpoint(phase, name, type);
        }

        @Override
        public void saveCheckpoint(String name, Object value) {
            inner.saveCheckpoint(name, value);
            point(at("saved:" + name + (value instanceof Enum<?> e ? "=" + e.name() : "")), killAt);
        }

        @Override
        public void event(String kind, String message, Map<String, ?> details) {
            inner.event(kind, message, details);
        }

        @Override
        public Ports ports() {
            Ports p = inner.ports();
            RemoteShells shells = host -> new WatchedShell(p.shells().open(host), this);
            return new Ports(p.clock(), shells, p.cluster(), p.prober());
        }
    }

    record WatchedShell(RemoteShell inner, Watched step) implements RemoteShell {

        @Override
        public CommandResult run(RemoteCommand command) {
            if (!command.name().startsWith("edge-")) {
                return inner.run(command);
            }
            String half = step.at("edge-half:" + command.name());
            if (half.equals(step.killAt())) {
                // Dies after the first file is in place, before nginx -t and the reload.
                String cut = command.script().replaceFirst("(?m)^  w1=\"\\$real\"$", "  w1=\"\\$real\"; exit 99");
                if (cut.equals(command.script())) {
                    throw new IllegalStateException("the edge script has no first write to stop after");
                }
                inner.run(new RemoteCommand(command.name(), cut, command.privileged(), command.timeout()));
                point(half, step.killAt());
            }
            point(step.at("edge-before:" + command.name()), step.killAt());
            CommandResult r = inner.run(command);
            point(step.at("edge-after:" + command.name()), step.killAt());
            return r;
        }

        @Override
        public java.util.List<CommandResult> runAll(java.util.List<RemoteCommand> commands) {
            return commands.stream().map(this::run).toList();
        }

        @Override
        public String hostKeyFingerprint() {
            return inner.hostKeyFingerprint();
        }

        @Override
        public String hostPublicKey() {
            return inner.hostPublicKey();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
