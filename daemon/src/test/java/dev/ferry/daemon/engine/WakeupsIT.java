package dev.ferry.daemon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.daemon.DaemonFixture;
import dev.ferry.daemon.cluster.KubernetesCluster;
import dev.ferry.daemon.cluster.MockCluster;
import dev.ferry.migrations.step.Step;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.Phase;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step that waits on the cluster asks to be polled again in ten minutes; a Job of Ferry's changing in the
 * migration's namespace wakes it at once. A change in another namespace does not.
 */
class WakeupsIT {

    @TempDir
    Path dir;

    @Test
    void aChangedJobInItsNamespaceWakesAWaitingMigrationAndOneElsewhereDoesNot() throws Exception {
        AtomicInteger buildRuns = new AtomicInteger();
        Map<Phase, Step> steps = new EnumMap<>(Phase.class);
        Lifecycle.PIPELINE.forEach(p -> steps.put(p, ScriptedStep.of("done")));
        steps.put(Phase.PLAN, ctx -> StepResult.done(Map.of("namespace", "ferry-wake"), "planned"));
        steps.put(Phase.BUILD, ctx -> buildRuns.incrementAndGet() < 3
                ? StepResult.waitFor(Duration.ofMinutes(10), "building") : StepResult.done(Map.of(), "built"));
        try (MockCluster mock = new MockCluster();
             DaemonFixture d = new DaemonFixture(dir, steps, new KubernetesCluster(mock.client()))) {
            long id = d.startMigration(d.registerHost("web-wake"));
            awaitRuns(buildRuns, 1);
            Thread.sleep(500);

            job(mock, "elsewhere", "other-1");
            Thread.sleep(2000);
            assertThat(buildRuns.get()).as("a change in another namespace wakes nothing").isEqualTo(1);

            job(mock, "ferry-wake", "build-1");
            awaitRuns(buildRuns, 2);
            job(mock, "ferry-wake", "build-2");
            JsonNode m = d.awaitStatus(id, "completed");
            assertThat(m.get("phase").asText()).isEqualTo("done");
        }
    }

    static void job(MockCluster mock, String namespace, String name) {
        mock.client().batch().v1().jobs().inNamespace(namespace).resource(new JobBuilder().withNewMetadata()
                .withName(name).addToLabels("app.kubernetes.io/managed-by", "ferry").endMetadata().withNewSpec()
                .withNewTemplate().withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
    }

    static void awaitRuns(AtomicInteger runs, int n) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(15);
        while (runs.get() < n) {
            assertThat(Instant.now()).as("the step never ran a " + n + ". time").isBefore(deadline);
            Thread.sleep(50);
        }
    }
}
