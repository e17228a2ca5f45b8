package dev.ferry.daemon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.migrations.inventory.CapturedInventory;
import dev.ferry.migrations.plan.ClusterSettings;
import dev.ferry.migrations.plan.Plan;
import dev.ferry.migrations.plan.Planner;
import dev.ferry.migrations.port.PermanentFailure;
import dev.ferry.migrations.port.TransientFailure;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cluster adapter against fabric8's mock API server in CRUD mode, taught server-side apply. */
class KubernetesClusterTest {

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

    @Test
    void thePlansManifestsApplyAndApplyingAgainChangesNothing() {
        Plan plan = Planner.plan(CapturedInventory.legacyHost(), ClusterSettings.defaults());
        List<String> manifests = List.copyOf(plan.manifests().values());
        KubernetesCluster cluster = new KubernetesCluster(client);

        List<String> applied = cluster.apply(manifests);
        assertThat(applied).hasSize(15).contains("Namespace ferry-legacy", "Deployment ferry-legacy/nginx",
                "Endpoints ferry-legacy/srv-mysql", "Ingress ferry-legacy/sites");
        Deployment nginx = client.apps().deployments().inNamespace("ferry-legacy").withName("nginx").get();
        assertThat(nginx.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser()).isEqualTo(50000L);
        assertThat(nginx.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
                .isEqualTo(plan.nginxImage().reference());
        String version = nginx.getMetadata().getResourceVersion();

        cluster.apply(manifests);
        assertThat(client.apps().deployments().inNamespace("ferry-legacy").withName("nginx").get().getSpec())
                .isEqualTo(nginx.getSpec());
        assertThat(cluster.get("apps/v1", "Deployment", "ferry-legacy", "nginx")).hasValueSatisfying(json ->
                assertThat(json).contains("\"name\":\"nginx\""));
        assertThat(cluster.get("apps/v1", "Deployment", "ferry-legacy", "absent")).isEmpty();

        String scaled = plan.manifests().get("manifests/03-deployment-nginx.yaml").replace("replicas: 2", "replicas: 3");
        cluster.apply(List.of(scaled));
        Deployment after = client.apps().deployments().inNamespace("ferry-legacy").withName("nginx").get();
        assertThat(after.getSpec().getReplicas()).isEqualTo(3);
        assertThat(after.getMetadata().getResourceVersion()).isNotEqualTo(version);
    }

    @Test
    void podsAreListedByLabelAndTheirLogsReadFromTheCurrentOrThePreviousInstance() {
        KubernetesCluster cluster = new KubernetesCluster(client);
        client.pods().inNamespace("web").resource(new PodBuilder().withNewMetadata().withName("php-0")
                .addToLabels("app", "php").endMetadata().build()).create();
        client.pods().inNamespace("web").resource(new PodBuilder().withNewMetadata().withName("nginx-0")
                .addToLabels("app", "nginx").endMetadata().build()).create();
        assertThat(cluster.list("v1", "Pod", "web", Map.of("app", "php"))).singleElement().asString()
                .contains("\"name\":\"php-0\"");

        mock.podLog("web", "php-0", "php-fpm", true, "one\ntwo\nthree\n");
        mock.podLog("web", "php-0", "php-fpm", false, "starting\n");
        assertThat(cluster.podLog("web", "php-0", "php-fpm", true, 2)).hasValue("two\nthree\n");
        assertThat(cluster.podLog("web", "php-0", "php-fpm", false, 20)).hasValue("starting\n");
        assertThat(cluster.podLog("web", "nginx-0", "nginx", true, 20)).isEmpty();
        assertThat(cluster.podLog("web", "absent", "nginx", false, 20)).isEmpty();
    }

    @Test
    void refusalsArePermanentAndAnUnreachableServerIsTransient() {
        KubernetesCluster cluster = new KubernetesCluster(client);
        assertThatThrownBy(() -> cluster.apply(List.of("kind: [")))
                .isInstanceOf(PermanentFailure.class).hasMessageContaining("not a Kubernetes object");
        assertThatThrownBy(() -> cluster.apply(List.of("apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n")))
                .isInstanceOf(PermanentFailure.class).hasMessageContaining("metadata.name");
        mock.stopServer();
        assertThatThrownBy(() -> cluster.apply(List.of("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n")))
                .isInstanceOf(TransientFailure.class).hasMessageContaining("applying Namespace x failed");
    }

    @Test
    void withoutAnyConfigurationTheClusterSaysSoInsteadOfGuessingAnAddress(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path home) throws Exception {
        LazyCluster none = new LazyCluster(null, java.util.Map.of(), home);
        assertThatThrownBy(() -> none.apply(List.of("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n")))
                .isInstanceOf(PermanentFailure.class).hasMessageContaining("no Kubernetes cluster is configured");
        java.nio.file.Files.createDirectories(home.resolve(".kube"));
        java.nio.file.Files.writeString(home.resolve(".kube/config"), "apiVersion: v1\nkind: Config\n");
        assertThat(new LazyCluster(null, java.util.Map.of(), home).configured()).isTrue();
        assertThat(new LazyCluster(null, java.util.Map.of("KUBECONFIG", "/etc/k.yaml"), home.resolve("x")).configured())
                .isTrue();
    }
}
