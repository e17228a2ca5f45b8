package dev.ferry.daemon;

import dev.ferry.migrations.build.BuildStep;
import dev.ferry.migrations.copy.CopySettings;
import dev.ferry.migrations.copy.CopyStep;
import dev.ferry.migrations.inventory.InventoryStep;
import dev.ferry.migrations.plan.ClusterSettings;
import dev.ferry.migrations.plan.PlanStep;
import dev.ferry.migrations.step.Step;
import dev.ferry.migrations.storage.StorageStep;
import dev.ferry.state.workflow.Phase;
import java.util.Map;

/**
 * The product's step for each phase implemented so far. A phase missing here fails its migrations with a
 * clear message instead of pretending to work.
 */
public final class Steps {

    /** Rootless BuildKit, pinned. */
    static final String BUILDKIT_IMAGE = "moby/buildkit:v0.16.0-rootless";

    private Steps() {
    }

    public static Map<Phase, Step> product() {
        ClusterSettings cluster = ClusterSettings.defaults();
        return Map.of(Phase.INVENTORY, new InventoryStep(), Phase.PLAN, new PlanStep(cluster),
                Phase.BUILD, new BuildStep(BUILDKIT_IMAGE), Phase.STORAGE, new StorageStep(),
                Phase.COPY, new CopyStep(CopySettings.defaults(), cluster.uid(), cluster.gid()));
    }
}
