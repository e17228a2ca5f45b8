package dev.ferry.daemon.cluster;

import dev.ferry.migrations.port.Cluster;
import dev.ferry.migrations.port.PermanentFailure;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster, connected on first use: ferryd starts and serves its API (inventory, plans) without any
 * cluster, and a phase that needs one says clearly when none is configured. The configuration is fabric8's
 * usual search: $KUBECONFIG, ~/.kube/config, or the pod's service account when ferryd runs in a cluster;
 * {@code context} picks a kubeconfig context other than the current one.
 */
public final class LazyCluster implements Cluster, ManagedObjects {

    static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    private final String context;
    private final Map<String, String> env;
    private final Path home;
    private volatile KubernetesCluster cluster;

    public LazyCluster(String context) {
        this(context, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** No cluster at all: every call fails with the clear error (tests, or a daemon that only inventories). */
    public static LazyCluster none() {
        return new LazyCluster(null, Map.of(), Path.of("/nonexistent"));
    }

    LazyCluster(String context, Map<String, String> env, Path home) {
        this.context = context;
        this.env = env;
        this.home = home;
    }

    /** Whether any configuration is there: fabric8 would otherwise quietly aim at a default address. */
    boolean configured() {
        String kubeconfig = env.get("KUBECONFIG");
        return kubeconfig != null && !kubeconfig.isBlank()
                || Files.isRegularFile(home.resolve(".kube/config"))
                || env.containsKey("KUBERNETES_SERVICE_HOST") && Files.isRegularFile(SERVICE_ACCOUNT_TOKEN);
    }

    private KubernetesCluster cluster() {
        KubernetesCluster c = cluster;
        if (c == null) {
            synchronized (this) {
                if (cluster == null) {
                    if (!configured()) {
                        throw new PermanentFailure("no Kubernetes cluster is configured: set KUBECONFIG, provide "
                                + "~/.kube/config, or run ferryd in a cluster with a service account", null);
                    }
                    Config config = Config.autoConfigure(context);
                    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
                    cluster = new KubernetesCluster(client);
                }
                c = cluster;
            }
        }
        return c;
    }

    @Override
    public List<String> apply(List<String> manifests) {
        return cluster().apply(manifests);
    }

    @Override
    public Optional<String> get(String apiVersion, String kind, String namespace, String name) {
        return cluster().get(apiVersion, kind, namespace, name);
    }

    /** Connects now to watch; without a configured cluster there is nothing to watch and nothing is started. */
    @Override
    public AutoCloseable watch(java.util.function.Consumer<String> changed) {
        KubernetesCluster connected;
        try {
            connected = cluster();
        } catch (PermanentFailure none) {
            return () -> { };
        }
        return connected.watch(changed);
    }

    @Override
    public List<String> list(String apiVersion, String kind, String namespace, Map<String, String> labels) {
        return cluster().list(apiVersion, kind, namespace, labels);
    }

    @Override
    public Optional<String> podLog(String namespace, String pod, String container, boolean previous, int tailLines) {
        return cluster().podLog(namespace, pod, container, previous, tailLines);
    }

    @Override
    public Optional<JobStatus> job(String namespace, String name) {
        return cluster().job(namespace, name);
    }

    @Override
    public Optional<String> jobResult(String namespace, String name) {
        return cluster().jobResult(namespace, name);
    }
}
