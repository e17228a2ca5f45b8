package dev.ferry.daemon.engine;

import dev.ferry.daemon.Ferryd;
import dev.ferry.daemon.cluster.LazyCluster;
import dev.ferry.daemon.config.FerryConfig;
import dev.ferry.migrations.step.Step;
import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.Phase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A ferryd for {@code ClusteredDaemonsIT}, in a process of its own as in production: clustered on the PostgreSQL
 * database named by its arguments. Every step run records which node ran it, as {@code test.step} events.
 *
 * <p>Arguments: node name, data directory, JDBC URL, user, password.
 */
public final class ClusterNode {

    public static void main(String[] args) throws Exception {
        Ferryd ferryd = start(args[0], Path.of(args[1]), args[2], args[3], args[4]);
        System.out.println("STARTED " + args[0]);
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(ferryd::close));
        Thread.sleep(Long.MAX_VALUE);
    }

    static Ferryd start(String node, Path dataDir, String url, String user, String password) {
        FerryConfig d = FerryConfig.defaults();
        FerryConfig config = new FerryConfig(dataDir, new FerryConfig.Api("127.0.0.1", 0, "cluster-test-token-0123", 65536),
                new FerryConfig.Database(url, user, password, 6),
                new FerryConfig.Engine(3, 2, true, node, new FerryConfig.Retry(1, 2.0, 2, 3)),
                d.concurrency(), d.ssh(), d.webhooks(), d.log(), d.kubernetes(), d.cutover());
        return Ferryd.start(config, steps(node), EngineListener.NONE, Clock.systemUTC(),
                LazyCluster.none());
    }

    static Map<Phase, Step> steps(String node) {
        Map<Phase, Step> steps = new EnumMap<>(Phase.class);
        for (Phase p : Lifecycle.PIPELINE) {
            steps.put(p, new ScriptedStep(List.of("wait:100", "done"), (ctx, run) -> {
                ctx.event("test.step", node, Map.of("node", node, "edge", "begin"));
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ctx.event("test.step", node, Map.of("node", node, "edge", "end"));
            }));
        }
        return steps;
    }
}
