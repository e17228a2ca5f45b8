package dev.ferry.migrations.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.migrations.plan.Manifests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rollout classifier on Deployments and pods as a real API server reports them (src/test/resources/deploy/). */
class RolloutTest {

    static final String PINNED = "registry.local/ferry/ferry-legacy-nginx:dd134d79616f@sha256:"
            + "4f1c8b2a9d3e7f6051a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708";

    @Test
    void aDeploymentWhoseReplicasAllRunTheCurrentSpecIsRolledOut() {
        Rollout r = Rollout.of(fixture("deployment-rolled-out.json"));
        assertThat(r.complete()).isTrue();
        assertThat(r.outcome(List.of())).isEqualTo(new Rollout.RolledOut(r));
        assertThat(r.revision()).isEqualTo("3");
        assertThat(r.observedGeneration()).isEqualTo(4);
        assertThat(r.images()).containsExactly(PINNED);
        assertThat(r.selector()).containsEntry("app.kubernetes.io/name", "nginx").hasSize(2);
    }

    @Test
    void oldPodsLeftOrAnUnobservedGenerationAreNotRolledOut() {
        Rollout oldPods = Rollout.of(fixture("deployment-old-pods-left.json"));
        assertThat(oldPods.complete()).isFalse();
        assertThat(oldPods.outcome(List.of(fixture("pod-running.json"))))
                .isEqualTo(new Rollout.InProgress("nginx: 2 of 2 replicas updated, 2 available, 1 old pods left"));

        String json = fixture("deployment-rolled-out.json").replace("\"generation\": 4", "\"generation\": 5");
        Rollout unobserved = Rollout.of(json);
        assertThat(unobserved.complete()).isFalse();
        assertThat(unobserved.outcome(List.of())).isInstanceOf(Rollout.InProgress.class);
    }

    @Test
    void aFailedPullNamesTheImageAsThePodSpecHasItAndTheKubeletsMessage() {
        Rollout r = Rollout.of(fixture("deployment-old-pods-left.json"));
        Rollout.Problem p = stuck(r, "pod-image-pull.json", "pod-running.json");
        assertThat(p.reason()).isEqualTo(Rollout.Reason.IMAGE_PULL);
        assertThat(p.immediate()).isFalse();
        assertThat(p.image()).isEqualTo(PINNED);
        assertThat(p.message()).startsWith("Deployment nginx, pod nginx-6d4cf56db6-x2x8q, container nginx: "
                + "cannot pull image " + PINNED + " (ImagePullBackOff): Back-off pulling image");
    }

    @Test
    void aCrashLoopCarriesTheLogTheStepAdds() {
        Rollout r = Rollout.of(fixture("deployment-deadline.json").replace("ProgressDeadlineExceeded", "ReplicaSetUpdated"));
        Rollout.Problem p = stuck(r, "pod-crash-loop.json");
        assertThat(p.reason()).isEqualTo(Rollout.Reason.CRASH_LOOP);
        assertThat(p.message()).endsWith("it left no log");
        assertThat(p.withLog("ERROR: unable to bind listening socket for address '0.0.0.0:9000'\n").message())
                .startsWith("Deployment php-www, pod php-www-58f7d9c4b5-k9l2m, container php-fpm: keeps crashing "
                        + "(CrashLoopBackOff): back-off 2m40s")
                .endsWith("its last log lines:\nERROR: unable to bind listening socket for address '0.0.0.0:9000'");
    }

    @Test
    void anUnschedulablePodGivesTheSchedulersReason() {
        Rollout r = Rollout.of(fixture("deployment-deadline.json").replace("ProgressDeadlineExceeded", "ReplicaSetUpdated"));
        Rollout.Problem p = stuck(r, "pod-unschedulable.json");
        assertThat(p.reason()).isEqualTo(Rollout.Reason.UNSCHEDULABLE);
        assertThat(p.container()).isNull();
        assertThat(p.message()).isEqualTo("Deployment php-www, pod php-www-58f7d9c4b5-p7q8r: cannot be scheduled "
                + "(Unschedulable): 0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are "
                + "available: 3 No preemption victims found for incoming pod.");
    }

    @Test
    void aMissingSecretIsAConfigError() {
        Rollout r = Rollout.of(fixture("deployment-old-pods-left.json"));
        Rollout.Problem p = stuck(r, "pod-config-error.json");
        assertThat(p.reason()).isEqualTo(Rollout.Reason.CONFIG_ERROR);
        assertThat(p.message()).endsWith("(CreateContainerConfigError): secret \"tls-secure-example-test\" not found");
    }

    @Test
    void theProgressDeadlineIsImmediateAndComesFirst() {
        Rollout r = Rollout.of(fixture("deployment-deadline.json"));
        var outcome = (Rollout.Stuck) r.outcome(List.of(fixture("pod-crash-loop.json")));
        assertThat(outcome.problems()).extracting(Rollout.Problem::reason)
                .containsExactly(Rollout.Reason.PROGRESS_DEADLINE, Rollout.Reason.CRASH_LOOP);
        assertThat(outcome.problems().getFirst().immediate()).isTrue();
        assertThat(outcome.problems().getFirst().message()).isEqualTo("Deployment php-www: did not progress in time "
                + "(ProgressDeadlineExceeded): ReplicaSet \"php-www-58f7d9c4b5\" has timed out progressing.");
    }

    @Test
    void theSameProblemInTwoPodsIsOneProblem() {
        Rollout r = Rollout.of(fixture("deployment-old-pods-left.json"));
        String other = fixture("pod-image-pull.json").replace("x2x8q", "y3y9r");
        var outcome = (Rollout.Stuck) r.outcome(List.of(fixture("pod-image-pull.json"), other));
        assertThat(outcome.problems()).hasSize(1);
        assertThat(outcome.problems().getFirst().key()).isEqualTo("nginx/nginx/ImagePullBackOff");
    }

    @Test
    void imagesArePinnedToTheBuildsDigestsInDeploymentsOnly() throws Exception {
        String deployment = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: nginx
                  namespace: ferry-legacy
                spec:
                  template:
                    spec:
                      containers:
                      - image: registry.local/ferry/nginx:dd13
                        name: nginx
                      - image: docker.io/library/busybox:1.36
                        name: sidecar
                """;
        Map<String, String> digests = Map.of("registry.local/ferry/nginx:dd13", "sha256:" + "ab".repeat(32));
        var pinned = Manifests.YAML.readTree(DeployStep.pinned(deployment, digests));
        assertThat(pinned.at("/spec/template/spec/containers/0/image").asText())
                .isEqualTo("registry.local/ferry/nginx:dd13@sha256:" + "ab".repeat(32));
        assertThat(pinned.at("/spec/template/spec/containers/1/image").asText())
                .isEqualTo("docker.io/library/busybox:1.36");
        assertThat(DeployStep.pinned(deployment, Map.of())).isSameAs(deployment);
        String pod = deployment.replace("kind: Deployment", "kind: Pod");
        assertThat(DeployStep.pinned(pod, digests)).isSameAs(pod);
    }

    @Test
    void theIngressAddressIsItsIpOrHostName() {
        assertThat(DeployStep.ingressAddress("""
                {"status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.7"}]}}}""")).isEqualTo("203.0.113.7");
        assertThat(DeployStep.ingressAddress("""
                {"status": {"loadBalancer": {"ingress": [{"hostname": "lb-1.example.net"}]}}}"""))
                .isEqualTo("lb-1.example.net");
        assertThat(DeployStep.ingressAddress("{\"status\": {\"loadBalancer\": {}}}")).isNull();
    }

    static Rollout.Problem stuck(Rollout r, String... pods) {
        var outcome = r.outcome(java.util.Arrays.stream(pods).map(RolloutTest::fixture).toList());
        assertThat(outcome).isInstanceOf(Rollout.Stuck.class);
        return ((Rollout.Stuck) outcome).problems().getFirst();
    }

    static String fixture(String name) {
        return dev.ferry.migrations.inventory.Fixtures.resource("deploy/" + name);
    }
}
