package dev.ferry.daemon.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays the Deployment controller, the scheduler and the kubelet for the Deployments in the mock API server: each
 * gets one Pod per replica, labelled for its selector, and a status, through the status subresources as the real
 * controllers write them. Without a {@link Failure}, the pods run and are ready and the Deployment is rolled out
 * (revision 1 unless it has one). A test can make a Deployment's pods fail the ways a real rollout gets stuck.
 */
public final class DeploymentDriver implements AutoCloseable {

    static final String HASH = "pod-template-hash";
    static final String REVISION = "deployment.kubernetes.io/revision";

    /** How a Deployment's pods fail. */
    public sealed interface Failure {
    }

    /** The kubelet cannot pull the image: the registry's answer, {@code not found} say. */
    public record ImagePull(String registrySays) implements Failure {
    }

    /** The container exits at once with {@code exitCode}, leaving {@code log} behind in its previous instance. */
    public record CrashLoop(int exitCode, String log) implements Failure {
    }

    /** The scheduler finds no node: its message, {@code 0/3 nodes are available: 3 Insufficient memory.} say. */
    public record Unschedulable(String message) implements Failure {
    }

    /** The pods never become ready, and the controller gives up waiting: ProgressDeadlineExceeded. */
    public record ProgressDeadline() implements Failure {
    }

    private final MockCluster mock;
    private final KubernetesClient client;
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private DriverLoop loop;

    public DeploymentDriver(MockCluster mock) {
        this.mock = mock;
        this.client = mock.client();
    }

    /** From the next drive on, the Deployment's pods fail this way. */
    public void fail(String namespace, String deployment, Failure failure) {
        failures.put(namespace + "/" + deployment, failure);
    }

    /** From the next drive on, the Deployment's pods run. */
    public void heal(String namespace, String deployment) {
        failures.remove(namespace + "/" + deployment);
    }

    /** Drives Deployments in the background, every 100 ms, until closed. */
    public DeploymentDriver start() {
        loop = new DriverLoop("deployment-driver", this::driveOnce);
        return this;
    }

    /** Brings every Deployment's pods and status to what its spec and failure make them. */
    public synchronized void driveOnce() {
        for (Deployment d : client.apps().deployments().inAnyNamespace().list().getItems()) {
            String ns = d.getMetadata().getNamespace();
            String name = d.getMetadata().getName();
            Failure failure = failures.get(ns + "/" + name);
            int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            String hash = String.format("%08x", d.getSpec().getTemplate().hashCode());
            Map<String, String> selector = d.getSpec().getSelector().getMatchLabels();
            // A new template replaces the pods of the old one (the rollout happens at once here).
            for (Pod old : client.pods().inNamespace(ns).withLabels(selector).list().getItems()) {
                if (!hash.equals(old.getMetadata().getLabels().get(HASH))) {
                    client.pods().inNamespace(ns).resource(old).delete();
                }
            }
            for (int i = 0; i < desired; i++) {
                pod(d, name + "-" + hash + "-" + i, hash, failure);
            }
            if (d.getMetadata().getAnnotations() == null || !d.getMetadata().getAnnotations().containsKey(REVISION)) {
                d = client.apps().deployments().inNamespace(ns).withName(name).edit(x -> {
                    Map<String, String> annotations = new LinkedHashMap<>();
                    if (x.getMetadata().getAnnotations() != null) {
                        annotations.putAll(x.getMetadata().getAnnotations());
                    }
                    annotations.put(REVISION, "1");
                    x.getMetadata().setAnnotations(annotations);
                    return x;
                });
            }
            DeploymentStatus status = status(d.getMetadata().getGeneration(), desired, failure);
            if (!status.equals(d.getStatus())) {
                d.setStatus(status);
                client.apps().deployments().inNamespace(ns).resource(d).updateStatus();
            }
        }
    }

    private void pod(Deployment d, String name, String hash, Failure failure) {
        String ns = d.getMetadata().getNamespace();
        Map<String, String> labels = new LinkedHashMap<>(d.getSpec().getTemplate().getMetadata().getLabels());
        labels.putAll(d.getSpec().getSelector().getMatchLabels());
        labels.put(HASH, hash);
        PodStatus status = podStatus(ns, name, d.getSpec().getTemplate().getSpec().getContainers(), failure);
        Pod existing = client.pods().inNamespace(ns).withName(name).get();
        if (existing == null) {
            client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(ns)
                    .withLabels(labels).endMetadata().withSpec(d.getSpec().getTemplate().getSpec())
                    .withStatus(status).build()).create();
        } else if (!status.equals(existing.getStatus())) {
            existing.setStatus(status);
            client.pods().inNamespace(ns).resource(existing).updateStatus();
        }
    }

    private PodStatus podStatus(String ns, String pod, List<Container> containers, Failure failure) {
        if (failure instanceof Unschedulable u) {
            return new PodStatusBuilder().withPhase("Pending").withConditions(new PodConditionBuilder()
                    .withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                    .withMessage(u.message()).build()).build();
        }
        List<ContainerStatus> statuses = new ArrayList<>();
        for (Container c : containers) {
            ContainerStatusBuilder s = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
                    .withReady(failure == null).withRestartCount(0);
            switch (failure) {
                case null -> s.withStarted(true).withNewState().withNewRunning().endRunning().endState();
                case ImagePull p -> s.withNewState().withNewWaiting().withReason("ImagePullBackOff")
                        .withMessage("Back-off pulling image \"" + c.getImage() + "\": ErrImagePull: failed to pull "
                                + "and unpack image \"" + c.getImage() + "\": " + p.registrySays())
                        .endWaiting().endState();
                case CrashLoop crash -> {
                    mock.podLog(ns, pod, c.getName(), true, crash.log());
                    s.withRestartCount(4).withNewLastState().withNewTerminated().withExitCode(crash.exitCode())
                            .withReason("Error").endTerminated().endLastState().withNewState().withNewWaiting()
                            .withReason("CrashLoopBackOff").withMessage("back-off 1m20s restarting failed container="
                                    + c.getName() + " pod=" + pod + "_" + ns).endWaiting().endState();
                }
                case ProgressDeadline deadline -> s.withNewState().withNewWaiting().withReason("ContainerCreating")
                        .endWaiting().endState();
                case Unschedulable u -> throw new IllegalStateException("handled above");
            }
            statuses.add(s.build());
        }
        return new PodStatusBuilder().withPhase(failure == null || failure instanceof CrashLoop ? "Running" : "Pending")
                .withConditions(new PodConditionBuilder().withType("PodScheduled").withStatus("True").build(),
                        new PodConditionBuilder().withType("Ready").withStatus(failure == null ? "True" : "False")
                                .build())
                .withContainerStatuses(statuses).build();
    }

    private static DeploymentStatus status(Long generation, int desired, Failure failure) {
        DeploymentStatusBuilder s = new DeploymentStatusBuilder().withObservedGeneration(generation)
                .withReplicas(desired).withUpdatedReplicas(desired);
        if (failure == null) {
            return s.withReadyReplicas(desired).withAvailableReplicas(desired).withConditions(
                    new DeploymentConditionBuilder().withType("Available").withStatus("True")
                            .withReason("MinimumReplicasAvailable").build(),
                    new DeploymentConditionBuilder().withType("Progressing").withStatus("True")
                            .withReason("NewReplicaSetAvailable").build()).build();
        }
        return s.withUnavailableReplicas(desired).withConditions(
                new DeploymentConditionBuilder().withType("Available").withStatus("False")
                        .withReason("MinimumReplicasUnavailable").build(),
                failure instanceof ProgressDeadline
                        ? new DeploymentConditionBuilder().withType("Progressing").withStatus("False")
                        .withReason("ProgressDeadlineExceeded").withMessage("ReplicaSet has timed out progressing.")
                        .build()
                        : new DeploymentConditionBuilder().withType("Progressing").withStatus("True")
                        .withReason("ReplicaSetUpdated").build()).build();
    }

    @Override
    public void close() throws InterruptedException {
        if (loop != null) {
            loop.close();
        }
    }
}
