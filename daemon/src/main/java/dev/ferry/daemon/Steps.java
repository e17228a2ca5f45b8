package dev.ferry.daemon;

import dev.ferry.daemon.config.ConfigLoader;
import dev.ferry.daemon.config.FerryConfig;
import dev.ferry.migrations.build.BuildStep;
import dev.ferry.migrations.copy.CopyStep;
import dev.ferry.migrations.cutover.CutoverSettings;
import dev.ferry.migrations.cutover.CutoverStep;
import dev.ferry.migrations.cutover.RollbackStep;
import dev.ferry.migrations.deploy.DeployStep;
import dev.ferry.migrations.inventory.InventoryStep;
import dev.ferry.migrations.plan.ClusterSettings;
import dev.ferry.migrations.plan.PlanStep;
import dev.ferry.migrations.step.Step;
import dev.ferry.migrations.storage.StorageStep;
import dev.ferry.migrations.verify.VerifyAfterStep;
import dev.ferry.migrations.verify.VerifyStep;
import dev.ferry.state.workflow.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The product's step for each phase. A phase missing here would fail its migrations with a clear message
 * instead of pretending to work.
 */
public final class Steps {

    private Steps() {
    }

    /** The steps with the built-in defaults (no registry credentials, no ingress address). */
    public static Map<Phase, Step> product() {
        return product(FerryConfig.defaults(), null);
    }

    /**
     * @param registryAuth the docker config.json given to the cluster for pushing and pulling; null for none
     */
    public static Map<Phase, Step> product(FerryConfig config, byte[] registryAuth) {
        FerryConfig.Kubernetes kubernetes = config.kubernetes();
        ClusterSettings cluster = kubernetes.clusterSettings();
        CutoverSettings cutover = config.cutover().settings();
        return Map.of(Phase.INVENTORY, new InventoryStep(), Phase.PLAN, new PlanStep(cluster),
                Phase.BUILD, new BuildStep(kubernetes.buildkitImage()), Phase.STORAGE, new StorageStep(registryAuth),
                Phase.COPY, new CopyStep(kubernetes.copySettings(), cluster.uid(), cluster.gid()),
                Phase.DEPLOY, new DeployStep(),
                Phase.VERIFY, new VerifyStep(cutover.ingress()),
                Phase.CUTOVER, new CutoverStep(cutover, kubernetes.copySettings(), cluster.uid(), cluster.gid()),
                Phase.VERIFY_AFTER, new VerifyAfterStep(cutover.ingress()),
                Phase.ROLLBACK, new RollbackStep());
    }

    /** Reads the configured registry credentials at start-up: a missing or unreadable file stops ferryd. */
    public static byte[] registryAuth(FerryConfig.Kubernetes kubernetes) {
        String file = kubernetes.registryAuthFile();
        if (file == null || file.isBlank()) {
            return null;
        }
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new ConfigLoader.ConfigException("kubernetes.registryAuthFile: cannot read " + file + ": "
                    + e.getMessage());
        }
    }
}
