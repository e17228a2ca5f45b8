package dev.ferry.daemon;

import static dev.ferry.daemon.DaemonFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.daemon.cluster.DeploymentDriver;
import dev.ferry.daemon.cluster.JobDriver;
import dev.ferry.daemon.cluster.KubernetesCluster;
import dev.ferry.daemon.cluster.MockCluster;
import dev.ferry.migrations.testhost.LegacyHost;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product's phases through the engine, against a real legacy host and fabric8's mock API server (with
 * {@link JobDriver} as the kubelet, really running the copy): inventory, plan, build, storage and copy, with
 * ferryd stopped and started again while the copy Job runs, then deploy (with {@link DeploymentDriver} rolling the
 * Deployments out). What comes after the deploy phase is not this test's business: it waits until the migration
 * has gone past it.
 */
class ClusterPhasesIT {

    @TempDir
    Path dir;

    @Test
    void aMigrationBuildsStoresCopiesAndDeploysAndARestartedDaemonFindsItsCopyJob() throws Exception {
        try (LegacyHost host = LegacyHost.start(); MockCluster mock = new MockCluster();
             JobDriver driver = new JobDriver(mock, Files.createDirectories(dir.resolve("web")),
                     Files.createDirectories(dir.resolve("work"))).start();
             DeploymentDriver deployments = new DeploymentDriver(mock).start()) {
            driver.holdCopies(true);
            KubernetesCluster cluster = new KubernetesCluster(mock.client());
            long migration;
            try (DaemonFixture first = new DaemonFixture(dir.resolve("data"), Steps.product(), cluster)) {
                long hostId = json(first.post("/api/v1/hosts", """
                        {"name": "legacy", "address": "%s", "port": %d, "user": "root",
                         "auth": {"method": "key", "keyFile": "%s"}, "hostKeyFingerprint": "%s"}"""
                        .formatted(host.address(), host.sshPort(), host.clientKey(), host.hostKeyFingerprint())), 201)
                        .get("id").asLong();
                migration = first.startMigration(hostId);
                Instant deadline = Instant.now().plusSeconds(120);
                while (copyJobs(mock).isEmpty()) {
                    JsonNode m = json(first.get("/api/v1/migrations/" + migration), 200);
                    assertThat(m.path("status").asText()).as(m.toString()).isNotEqualTo("failed");
                    assertThat(Instant.now()).as("the copy Job never came").isBefore(deadline);
                    Thread.sleep(200);
                }
            }
            // ferryd is gone while its copy Job runs; a new one starts on the same state.
            try (DaemonFixture second = new DaemonFixture(dir.resolve("data"), Steps.product(), cluster)) {
                driver.holdCopies(false);
                Instant deadline = Instant.now().plusSeconds(120);
                JsonNode m = json(second.get("/api/v1/migrations/" + migration), 200);
                while (UP_TO_DEPLOY.contains(m.path("phase").asText()) && !m.path("status").asText().equals("failed")) {
                    assertThat(Instant.now()).as("the migration never got past deploy: " + m).isBefore(deadline);
                    Thread.sleep(200);
                    m = json(second.get("/api/v1/migrations/" + migration), 200);
                }
                assertThat(m.path("phase").asText()).as(m.toString()).isNotIn(UP_TO_DEPLOY);
            }
            assertThat(mock.client().apps().deployments().inNamespace("ferry-legacy").list().getItems())
                    .hasSize(3).allSatisfy(d -> assertThat(d.getSpec().getTemplate().getSpec().getContainers())
                            .allSatisfy(c -> assertThat(c.getImage()).matches(".+:[0-9a-f]+@sha256:[0-9a-f]{64}")));
            assertThat(copyJobs(mock)).extracting(j -> j.getMetadata().getName()).containsExactly("ferry-copy-1-1");
            assertThat(mock.client().batch().v1().jobs().inNamespace("ferry-legacy")
                    .withLabel("app.kubernetes.io/name", "build").list().getItems()).hasSize(2);
            assertThat(mock.client().secrets().inNamespace("ferry-legacy").withName("tls-secure-example-test").get())
                    .isNotNull();
            for (String[] root : List.of(new String[] {"var/www/php", "php.example.test/root"},
                    new String[] {"srv/docs", "php.example.test/docs"},
                    new String[] {"var/www/static", "static.example.test/root"})) {
                assertThat(FileTrees.tree(dir.resolve("web").resolve(root[1])))
                        .as(root[0]).isEqualTo(FileTrees.tree(host.root().resolve(root[0])));
            }
        }
    }

    static final Set<String> UP_TO_DEPLOY = Set.of("inventory", "plan", "build", "storage", "copy", "deploy");

    static List<Job> copyJobs(MockCluster mock) {
        return mock.client().batch().v1().jobs().inAnyNamespace().withLabel("app.kubernetes.io/name", "copy").list()
                .getItems();
    }
}
