package dev.ferry.daemon.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.daemon.MemoryStepContext;
import dev.ferry.daemon.cluster.JobDriver;
import dev.ferry.daemon.cluster.KubernetesCluster;
import dev.ferry.daemon.cluster.MockCluster;
import dev.ferry.migrations.build.BuildStep;
import dev.ferry.migrations.inventory.CapturedInventory;
import dev.ferry.migrations.plan.ClusterSettings;
import dev.ferry.migrations.plan.Plan;
import dev.ferry.migrations.plan.Planner;
import dev.ferry.migrations.port.Ports;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.state.Json;
import dev.ferry.state.host.Host;
import dev.ferry.state.host.HostSpec;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.migration.MigrationOptions;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The build phase on fabric8's mock API server, with {@link JobDriver} in the place of BuildKit: it rebuilds each
 * build Job's context from its ConfigMaps, checks the Dockerfile and answers with a digest of the context, as
 * BuildKit's pushed digest would be, or fails the Job.
 */
class BuildStepTest {

    MockCluster mock;
    KubernetesClient client;

    @BeforeEach
    void start() {
        mock = new MockCluster();
        client = mock.client();
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    MemoryStepContext context(Plan plan) {
        Migration m = new Migration(9, 1, "legacy", Phase.BUILD, MigrationStatus.RUNNING, 1, null, null,
                MigrationOptions.defaults(), Instant.EPOCH, Instant.EPOCH, 1, null, null, Phase.BUILD);
        Host host = new Host(1, new HostSpec("legacy", "192.0.2.10", 22, "root", null, false, null, null,
                "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8", false, null), Instant.EPOCH, Instant.EPOCH);
        MemoryStepContext ctx = new MemoryStepContext(m, host, new Ports(Clock.systemUTC(),
                h -> { throw new AssertionError("builds need no SSH"); }, new KubernetesCluster(client), MockCluster.NO_PROBES));
        ctx.outputs.put(Phase.PLAN, Json.write(plan));
        return ctx;
    }

    @Test
    void everyImageIsBuiltFromItsContextOnceAndTheDigestsAreRecorded() throws Exception {
        Plan plan = Planner.plan(CapturedInventory.legacyHost(), ClusterSettings.defaults());
        MemoryStepContext ctx = context(plan);
        BuildStep step = new BuildStep("moby/buildkit:v0.16.0-rootless");
        assertThat(step.run(ctx)).isInstanceOf(StepResult.Wait.class);
        assertThat(step.run(ctx)).isInstanceOf(StepResult.Wait.class);
        new JobDriver(client, null, null).driveOnce();
        StepResult done = step.run(ctx);
        assertThat(done).isInstanceOf(StepResult.Done.class);
        BuildStep.Built built = (BuildStep.Built) ((StepResult.Done) done).output();
        assertThat(built.images()).extracting(BuildStep.Image::reference)
                .containsExactly(plan.nginxImage().reference(), plan.phpImages().getFirst().reference());
        assertThat(built.images()).allMatch(i -> i.digest().matches("sha256:[0-9a-f]{64}"));

        // Another migration of the same host with the same plan: nothing is built again.
        MemoryStepContext again = context(plan);
        assertThat(new BuildStep("moby/buildkit:v0.16.0-rootless").run(again)).isInstanceOf(StepResult.Wait.class);
        assertThat(again.events).noneMatch(e -> e.startsWith("build.started"));
        assertThat(((StepResult.Done) new BuildStep("x").run(again)).output()).isEqualTo(built);
        assertThat(client.batch().v1().jobs().inNamespace(plan.namespace()).list().getItems()).hasSize(2);
    }

    @Test
    void aContextThatCannotBuildFailsTheJobAndTheNextAttemptIsANewRun() throws Exception {
        Plan good = Planner.plan(CapturedInventory.legacyHost(), ClusterSettings.defaults());
        Map<String, String> broken = new TreeMap<>(good.nginxImage().files());
        broken.remove("nginx.conf");
        Plan plan = new Plan(good.host(), good.namespace(), good.sites(),
                new dev.ferry.migrations.plan.ImageContext(good.nginxImage().name(), broken), List.of(),
                good.manifests(), good.problems(), good.contentHash());
        MemoryStepContext ctx = context(plan);
        BuildStep step = new BuildStep("moby/buildkit:v0.16.0-rootless");
        step.run(ctx);
        new JobDriver(mock, null, null).driveOnce();
        StepResult failed = step.run(ctx);
        assertThat(failed).isInstanceOf(StepResult.Retry.class);
        assertThat(((StepResult.Retry) failed).error()).contains("failed: BackoffLimitExceeded")
                .contains("COPY source nginx.conf is not in the context")
                .contains("the build log ends with:\n#1 [internal] load build definition from Dockerfile");
        assertThat(ctx.events).anySatisfy(e -> assertThat(e).startsWith("build.failed: ")
                .contains("error: failed to solve: COPY source nginx.conf is not in the context"));
        step.run(ctx);
        assertThat(client.batch().v1().jobs().inNamespace(plan.namespace()).list().getItems())
                .extracting(j -> j.getMetadata().getName()).anyMatch(n -> n.endsWith("-r2"));
    }
}
