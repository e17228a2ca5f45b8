package dev.ferry.daemon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.daemon.MemoryStepContext;
import dev.ferry.daemon.cluster.DeploymentDriver;
import dev.ferry.daemon.cluster.KubernetesCluster;
import dev.ferry.daemon.cluster.MockCluster;
import dev.ferry.migrations.build.BuildStep;
import dev.ferry.migrations.deploy.DeployStep;
import dev.ferry.migrations.inventory.CapturedInventory;
import dev.ferry.migrations.plan.ClusterSettings;
import dev.ferry.migrations.plan.Manifests;
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
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deploy phase on fabric8's mock API server, with {@link DeploymentDriver} playing the Deployment controller,
 * the scheduler and the kubelet: rolling out, or failing the ways a real rollout gets stuck.
 */
class DeployStepTest {

    MockCluster mock;
    KubernetesClient client;
    DeploymentDriver driver;
    Plan plan;
    BuildStep.Built built;

    @BeforeEach
    void start() {
        mock = new MockCluster();
        client = mock.client();
        driver = new DeploymentDriver(mock);
        plan = Planner.plan(CapturedInventory.legacyHost(), ClusterSettings.defaults());
        List<BuildStep.Image> images = new java.util.ArrayList<>();
        images.add(new BuildStep.Image(plan.nginxImage().reference(), "sha256:" + "1a".repeat(32)));
        plan.phpImages().forEach(i -> images.add(new BuildStep.Image(i.reference(), "sha256:" + "2b".repeat(32))));
        built = new BuildStep.Built(images);
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    MemoryStepContext context() {
        Migration m = new Migration(9, 1, "legacy", Phase.DEPLOY, MigrationStatus.RUNNING, 1, null, null,
                MigrationOptions.defaults(), Instant.EPOCH, Instant.EPOCH, 1, null, null, Phase.DEPLOY);
        Host host = new Host(1, new HostSpec("legacy", "192.0.2.10", 22, "root", null, false, null, null,
                "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8", false, null), Instant.EPOCH, Instant.EPOCH);
        MemoryStepContext ctx = new MemoryStepContext(m, host, new Ports(Clock.systemUTC(),
                h -> { throw new AssertionError("deploying needs no SSH"); }, new KubernetesCluster(client),
                MockCluster.NO_PROBES));
        ctx.outputs.put(Phase.PLAN, Json.write(plan));
        ctx.outputs.put(Phase.BUILD, Json.write(built));
        return ctx;
    }

    /** The same migration after a crash: what the store kept, in a new context. */
    MemoryStepContext restarted(MemoryStepContext before) {
        MemoryStepContext ctx = context();
        ctx.checkpoints.putAll(before.checkpoints);
        return ctx;
    }

    List<Deployment> deployments() {
        return client.apps().deployments().inNamespace(plan.namespace()).list().getItems();
    }

    String phpDeployment() {
        return deployments().stream().map(d -> d.getMetadata().getName()).filter(n -> n.startsWith("php-"))
                .findFirst().orElseThrow();
    }

    List<String> problems(MemoryStepContext ctx) {
        return ctx.events.stream().filter(e -> e.startsWith("deploy.problem: ")).toList();
    }

    @Test
    void everyObjectIsAppliedWithPinnedImagesAndTheRolloutIsRecorded() {
        MemoryStepContext ctx = context();
        DeployStep step = new DeployStep();
        assertThat(step.run(ctx)).isInstanceOf(StepResult.Wait.class);
        assertThat(ctx.events).hasSize(1);
        assertThat(ctx.events.getFirst()).startsWith("deploy.applied: " + plan.manifests().size()
                + " objects applied: Namespace " + plan.namespace() + ", PersistentVolumeClaim");
        for (String manifest : plan.manifests().values()) {
            JsonNode o = read(manifest);
            var resources = client.genericKubernetesResources(o.path("apiVersion").asText(), o.path("kind").asText());
            String ns = o.at("/metadata/namespace").asText(null);
            assertThat((ns == null ? resources.withName(o.at("/metadata/name").asText())
                    : resources.inNamespace(ns).withName(o.at("/metadata/name").asText())).get())
                    .as(o.path("kind").asText() + " " + o.at("/metadata/name").asText()).isNotNull();
        }
        Map<String, String> pinned = built.images().stream().collect(Collectors.toMap(BuildStep.Image::reference,
                i -> i.reference() + "@" + i.digest()));
        assertThat(deployments()).hasSize((int) plan.manifests().keySet().stream()
                .filter(k -> k.contains("-deployment-")).count()).hasSizeGreaterThan(1);
        for (Deployment d : deployments()) {
            assertThat(d.getSpec().getTemplate().getSpec().getContainers()).allSatisfy(c ->
                    assertThat(pinned).containsValue(c.getImage()));
        }

        // No controller has acted yet: the step waits, with no problem to report.
        assertThat(step.run(ctx)).isInstanceOf(StepResult.Wait.class);
        driver.driveOnce();
        client.network().v1().ingresses().inNamespace(plan.namespace()).withName("sites").editStatus(i -> {
            i.setStatus(new IngressStatusBuilder().withNewLoadBalancer().withIngress(
                    new IngressLoadBalancerIngressBuilder().withIp("203.0.113.7").build()).endLoadBalancer().build());
            return i;
        });
        StepResult result = step.run(ctx);
        assertThat(result).isInstanceOf(StepResult.Done.class);
        DeployStep.Deployed deployed = (DeployStep.Deployed) ((StepResult.Done) result).output();
        assertThat(deployed.ingressAddress()).isEqualTo("203.0.113.7");
        assertThat(deployed.deployments()).extracting(DeployStep.Revision::name)
                .containsExactlyElementsOf(deployments().stream().map(d -> d.getMetadata().getName()).sorted().toList());
        assertThat(deployed.deployments()).allSatisfy(r -> {
            assertThat(r.revision()).isEqualTo("1");
            assertThat(r.generation()).isEqualTo(1);
            assertThat(r.images()).singleElement().satisfies(i -> assertThat(pinned).containsValue(i));
        });
        assertThat(((StepResult.Done) result).summary()).startsWith(deployed.deployments().size()
                + " Deployments rolled out (nginx rev 1, php-").endsWith("; the Ingress answers at 203.0.113.7");
        assertThat(problems(ctx)).isEmpty();

        // A crash after the rollout was seen: the restarted step checks again, applies nothing and finishes.
        Map<String, String> versions = resourceVersions();
        MemoryStepContext again = restarted(ctx);
        StepResult second = new DeployStep().run(again);
        assertThat(second).isInstanceOf(StepResult.Done.class);
        assertThat(((StepResult.Done) second).output()).isEqualTo(deployed);
        assertThat(again.events).noneMatch(e -> e.startsWith("deploy.applied"));
        assertThat(resourceVersions()).isEqualTo(versions);

        // A crash before the start was recorded: applying again changes no spec, so the rollout stands.
        MemoryStepContext fresh = context();
        assertThat(new DeployStep().run(fresh)).isInstanceOf(StepResult.Wait.class);
        assertThat(deployments()).allSatisfy(d -> assertThat(d.getMetadata().getGeneration()).isEqualTo(1));
        assertThat(new DeployStep().run(fresh)).isEqualTo(result);
    }

    @Test
    void withoutABuildTheImagesKeepTheirTags() {
        MemoryStepContext ctx = context();
        ctx.outputs.remove(Phase.BUILD);
        new DeployStep().run(ctx);
        assertThat(deployments()).flatExtracting(d -> d.getSpec().getTemplate().getSpec().getContainers())
                .extracting(io.fabric8.kubernetes.api.model.Container::getImage)
                .allSatisfy(i -> assertThat(i).doesNotContain("@"))
                .contains(plan.nginxImage().reference());
    }

    @Test
    void anImageThatCannotBePulledIsReportedOnceThenRetried() {
        driver.fail(plan.namespace(), "nginx", new DeploymentDriver.ImagePull("not found"));
        MemoryStepContext ctx = context();
        DeployStep step = new DeployStep();
        step.run(ctx);
        driver.driveOnce();
        String image = plan.nginxImage().reference() + "@" + built.images().getFirst().digest();

        // First sighting: reported, and the pods get one more poll.
        StepResult first = step.run(ctx);
        assertThat(first).isInstanceOf(StepResult.Wait.class);
        assertThat(problems(ctx)).singleElement().asString()
                .startsWith("deploy.problem: Deployment nginx, pod nginx-")
                .contains("container nginx: cannot pull image " + image + " (ImagePullBackOff)")
                .endsWith(": not found");

        StepResult second = step.run(ctx);
        assertThat(second).isInstanceOf(StepResult.Retry.class);
        assertThat(((StepResult.Retry) second).error()).contains("cannot pull image " + image);
        // The engine's next attempt re-enters await: still stuck, still not logged again.
        assertThat(step.run(ctx)).isInstanceOf(StepResult.Retry.class);
        assertThat(problems(ctx)).hasSize(1);

        driver.heal(plan.namespace(), "nginx");
        driver.driveOnce();
        assertThat(step.run(ctx)).isInstanceOf(StepResult.Done.class);
    }

    @Test
    void aCrashLoopIsReportedWithTheContainersLastLogLines() {
        MemoryStepContext ctx = started();
        String php = phpDeployment();
        String log = IntStream.rangeClosed(1, 30).mapToObj(i -> String.format("[02-May-2024 10:11:%02d] line %02d", i, i))
                .collect(Collectors.joining("\n")) + "\n";
        driver.fail(plan.namespace(), php, new DeploymentDriver.CrashLoop(78, log));
        driver.driveOnce();
        assertThat(new DeployStep().run(ctx)).isInstanceOf(StepResult.Wait.class);
        assertThat(problems(ctx)).singleElement().asString()
                .contains("Deployment " + php + ", pod " + php + "-")
                .contains("container php-fpm: keeps crashing (CrashLoopBackOff): back-off 1m20s")
                .contains("its last log lines:\n[02-May-2024 10:11:11] line 11\n")
                .endsWith("line 30")
                .doesNotContain("line 10");
        StepResult retry = new DeployStep().run(ctx);
        assertThat(((StepResult.Retry) retry).error()).contains("line 30");
    }

    @Test
    void anUnschedulablePodIsReportedWithTheSchedulersReason() {
        MemoryStepContext ctx = started();
        String php = phpDeployment();
        driver.fail(plan.namespace(), php, new DeploymentDriver.Unschedulable(
                "0/3 nodes are available: 3 Insufficient memory."));
        driver.driveOnce();
        new DeployStep().run(ctx);
        assertThat(problems(ctx)).singleElement().asString().contains(": cannot be scheduled (Unschedulable): "
                + "0/3 nodes are available: 3 Insufficient memory.");
        assertThat(new DeployStep().run(ctx)).isInstanceOf(StepResult.Retry.class);
    }

    @Test
    void aMissedProgressDeadlineIsRetriedAtOnce() {
        driver.fail(plan.namespace(), "nginx", new DeploymentDriver.ProgressDeadline());
        MemoryStepContext ctx = context();
        new DeployStep().run(ctx);
        driver.driveOnce();
        StepResult result = new DeployStep().run(ctx);
        assertThat(result).isInstanceOf(StepResult.Retry.class);
        assertThat(((StepResult.Retry) result).error()).isEqualTo("Deployment nginx: did not progress in time "
                + "(ProgressDeadlineExceeded): ReplicaSet has timed out progressing.");
        assertThat(problems(ctx)).hasSize(1);
    }

    /** A context whose step has started: the Deployments exist. */
    MemoryStepContext started() {
        MemoryStepContext ctx = context();
        assertThat(new DeployStep().run(ctx)).isInstanceOf(StepResult.Wait.class);
        return ctx;
    }

    Map<String, String> resourceVersions() {
        return deployments().stream().collect(Collectors.toMap(d -> d.getMetadata().getName(),
                d -> d.getMetadata().getResourceVersion()));
    }

    static JsonNode read(String yaml) {
        try {
            return Manifests.YAML.readTree(yaml);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
