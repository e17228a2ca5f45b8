package dev.ferry.daemon.cluster;

import dev.ferry.migrations.port.Cluster;
import dev.ferry.migrations.port.PermanentFailure;
import dev.ferry.migrations.port.TransientFailure;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** The cluster port over fabric8's client: server-side apply as field manager {@value #FIELD_MANAGER}. */
public final class KubernetesCluster implements Cluster, ManagedObjects {

    public static final String FIELD_MANAGER = "ferry";
    private static final int LOG_TIMEOUT_SECONDS = 30;
    /** The label every object Ferry makes carries, with the value {@value #FIELD_MANAGER}. */
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    private final KubernetesClient client;

    public KubernetesCluster(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public List<String> apply(List<String> manifests) {
        List<String> applied = new ArrayList<>();
        for (String manifest : manifests) {
            HasMetadata object;
            try {
                object = client.getKubernetesSerialization().unmarshal(manifest, HasMetadata.class);
            } catch (RuntimeException e) {
                throw new PermanentFailure("not a Kubernetes object: " + e.getMessage(), e);
            }
            if (object == null || object.getMetadata() == null || object.getMetadata().getName() == null) {
                throw new PermanentFailure("a manifest without kind or metadata.name cannot be applied", null);
            }
            String what = object.getKind() + " " + (object.getMetadata().getNamespace() == null ? ""
                    : object.getMetadata().getNamespace() + "/") + object.getMetadata().getName();
            try {
                client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            } catch (KubernetesClientException e) {
                throw classify("applying " + what, e);
            }
            applied.add(what);
        }
        return applied;
    }

    @Override
    public Optional<String> get(String apiVersion, String kind, String namespace, String name) {
        try {
            GenericKubernetesResource found = client.genericKubernetesResources(apiVersion, kind)
                    .inNamespace(namespace).withName(name).get();
            return Optional.ofNullable(found).map(r -> client.getKubernetesSerialization().asJson(r));
        } catch (KubernetesClientException e) {
            throw classify("reading " + kind + " " + namespace + "/" + name, e);
        }
    }

    @Override
    public List<String> list(String apiVersion, String kind, String namespace, Map<String, String> labels) {
        try {
            return client.genericKubernetesResources(apiVersion, kind).inNamespace(namespace).withLabels(labels)
                    .list().getItems().stream().map(r -> client.getKubernetesSerialization().asJson(r)).toList();
        } catch (KubernetesClientException e) {
            throw classify("listing " + kind + " in " + namespace, e);
        }
    }

    /**
     * One GET of the pod's log endpoint. fabric8's {@code getLog()} first waits for the pod to be ready through a
     * watch (even with no wait time), which for a crash-looping pod is a watch opened and closed per read.
     */
    @Override
    public Optional<String> podLog(String namespace, String pod, String container, boolean previous, int tailLines) {
        String what = "reading the log of " + namespace + "/" + pod + " " + container;
        String url = client.getMasterUrl().toString().replaceAll("/+$", "") + "/api/v1/namespaces/"
                + encode(namespace) + "/pods/" + encode(pod) + "/log?container=" + encode(container) + "&tailLines="
                + tailLines + (previous ? "&previous=true" : "");
        HttpClient http = client.getHttpClient();
        HttpResponse<String> response;
        try {
            response = http.sendAsync(http.newHttpRequestBuilder().uri(url).build(), String.class)
                    .get(LOG_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure(what + " was interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new TransientFailure(what + " failed: " + (e.getCause() == null ? e : e.getCause()), e);
        }
        int code = response.code();
        if (code == 404 || code == 400) {
            // No such pod, or no previous container instance: there is nothing to read, which is an answer.
            return Optional.empty();
        }
        if (code != 200) {
            throw classify(what, new KubernetesClientException("HTTP " + code + ": " + response.body(), code, null));
        }
        return Optional.ofNullable(response.body()).filter(l -> !l.isBlank());
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8);
    }

    @Override
    public Optional<JobStatus> job(String namespace, String name) {
        try {
            Job job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
            if (job == null) {
                return Optional.empty();
            }
            JobStatus none = new JobStatus(0, 0, 0, null);
            if (job.getStatus() == null) {
                return Optional.of(none);
            }
            var s = job.getStatus();
            String failed = s.getConditions() == null ? null : s.getConditions().stream()
                    .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
                    .map(c -> c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage()))
                    .findFirst().orElse(null);
            return Optional.of(new JobStatus(n(s.getActive()), n(s.getSucceeded()), n(s.getFailed()), failed));
        } catch (KubernetesClientException e) {
            throw classify("reading Job " + namespace + "/" + name, e);
        }
    }

    @Override
    public Optional<String> jobResult(String namespace, String name) {
        try {
            return client.pods().inNamespace(namespace).withLabel("job-name", name).list().getItems().stream()
                    .filter(p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null)
                    .flatMap(p -> p.getStatus().getContainerStatuses().stream())
                    .map(c -> c.getState() == null ? null : c.getState().getTerminated())
                    .filter(t -> t != null && t.getMessage() != null && !t.getMessage().isBlank())
                    .map(t -> t.getMessage().strip())
                    .findFirst();
        } catch (KubernetesClientException e) {
            throw classify("reading the pods of Job " + namespace + "/" + name, e);
        }
    }

    @Override
    public AutoCloseable watch(Consumer<String> changed) {
        ResourceEventHandler<HasMetadata> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata obj) {
                changed.accept(obj.getMetadata().getNamespace());
            }

            @Override
            public void onUpdate(HasMetadata old, HasMetadata obj) {
                changed.accept(obj.getMetadata().getNamespace());
            }

            @Override
            public void onDelete(HasMetadata obj, boolean finalStateUnknown) {
                changed.accept(obj.getMetadata().getNamespace());
            }
        };
        // Informers list, watch and re-list after a dropped watch by themselves.
        SharedIndexInformer<Job> jobs = client.batch().v1().jobs().inAnyNamespace().withLabel(MANAGED_BY, FIELD_MANAGER)
                .inform(cast(handler), 0);
        SharedIndexInformer<GenericKubernetesResource> deployments = client
                .genericKubernetesResources("apps/v1", "Deployment").inAnyNamespace()
                .withLabel(MANAGED_BY, FIELD_MANAGER).inform(cast(handler), 0);
        return () -> {
            jobs.close();
            deployments.close();
        };
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> ResourceEventHandler<T> cast(ResourceEventHandler<HasMetadata> handler) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) handler;
    }

    private static int n(Integer value) {
        return value == null ? 0 : value;
    }

    /**
     * Transient: no answer (no HTTP code), throttling, conflicts, timeouts and server errors. Permanent: the API
     * server understood and refused (invalid, forbidden, unknown kind).
     */
    static RuntimeException classify(String what, KubernetesClientException e) {
        int code = e.getCode();
        String status = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : e.getMessage();
        String message = what + " failed" + (code <= 0 ? "" : " (HTTP " + code + ")") + ": " + status;
        boolean transientCode = code <= 0 || code == 408 || code == 409 || code == 429 || code >= 500;
        return transientCode ? new TransientFailure(message, e) : new PermanentFailure(message, e);
    }
}
