package dev.ferry.daemon;

import static dev.ferry.daemon.DaemonFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.daemon.cluster.JobDriver;
import dev.ferry.daemon.cluster.KubernetesCluster;
import dev.ferry.daemon.cluster.MockCluster;
import dev.ferry.migrations.testhost.LegacyHost;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product's phases through the engine, against a real legacy host and fabric8's mock API server (with
 * {@link JobDriver} as the kubelet, really running the copy): inventory, plan, build, storage and copy, with
 * ferryd stopped and started again while the copy Job runs. The migration then stops at the deploy phase,
 * which this version does not have.
 */
class ClusterPhasesIT {

    @TempDir
    Path dir;

    @Test
    void aMigrationBuildsStoresAndCopiesAndARestartedDaemonFindsItsCopyJob() throws Exception {
        try (LegacyHost host = LegacyHost.start(); MockCluster mock = new MockCluster();
             JobDriver driver = new JobDriver(mock.client(), Files.createDirectories(dir.resolve("web")),
                     Files.createDirectories(dir.resolve("work"))).start()) {
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
                JsonNode m = second.awaitStatus(migration, "failed");
                assertThat(m.path("phase").asText()).as(m.toString()).isEqualTo("deploy");
                assertThat(m.path("lastError").asText()).contains("not implemented");
            }
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

    static List<Job> copyJobs(MockCluster mock) {
        return mock.client().batch().v1().jobs().inAnyNamespace().withLabel("app.kubernetes.io/name", "copy").list()
                .getItems();
    }
}
