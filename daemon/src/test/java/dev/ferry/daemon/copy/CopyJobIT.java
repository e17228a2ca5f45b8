package dev.ferry.daemon.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.daemon.FileTrees;
import dev.ferry.daemon.LegacyHosts;
import dev.ferry.daemon.MemoryStepContext;
import dev.ferry.daemon.cluster.JobDriver;
import dev.ferry.daemon.cluster.KubernetesCluster;
import dev.ferry.daemon.cluster.MockCluster;
import dev.ferry.daemon.ssh.SshRemoteShells;
import dev.ferry.migrations.copy.CopyJob;
import dev.ferry.migrations.copy.CopySettings;
import dev.ferry.migrations.copy.CopyStep;
import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.plan.ClusterSettings;
import dev.ferry.migrations.plan.Plan;
import dev.ferry.migrations.plan.Planner;
import dev.ferry.migrations.plan.SitePlan;
import dev.ferry.migrations.port.Ports;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.migrations.testhost.LegacyHost;
import dev.ferry.state.Json;
import dev.ferry.state.host.Host;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.migration.MigrationOptions;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copy Job's own script, run on this machine the way the cluster would run the Job's container (the
 * web-data volume is a directory, the SSH Secret a directory with the key and known_hosts), against the real
 * sshd of the test legacy host: the copy equals the legacy roots byte for byte, everything owned by the shared
 * UID/GID, hard links kept; a second run copies only what changed and mirrors deletions. Then the copy phase
 * itself, driving such Jobs through fabric8's mock API server.
 */
class CopyJobIT {

    static LegacyHost host;
    static Plan plan;
    @TempDir
    static Path dir;

    @BeforeAll
    static void plan() {
        host = LegacyHost.start();
        Inventory inventory = LegacyHosts.inventory(host);
        plan = Planner.plan(inventory, ClusterSettings.defaults());
        assertThat(plan.blocked()).as(plan.problems().toString()).isFalse();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    static Path secretDir(String knownHosts) throws Exception {
        Path ssh = Files.createDirectories(dir.resolve("ssh-" + knownHosts.hashCode()));
        Files.copy(host.clientKey(), ssh.resolve("id"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(ssh.resolve("known_hosts"), knownHosts + "\n");
        return ssh;
    }

    @Test
    void theCopyEqualsTheLegacyRootsIsOwnedByTheSharedIdsAndASecondRunIsADelta() throws Exception {
        Job job = CopyJob.render(plan, "ferry-copy-1", host.address(), host.sshPort(), "root", "ferry-ssh", 50000,
                50000, CopySettings.defaults());
        assertThat(CopyJob.yaml(job)).contains("kind: Job").contains("claimName: web-data");
        Path web = Files.createDirectories(dir.resolve("web"));
        Path ssh = secretDir(host.knownHostsLine());

        JobDriver.Run first = JobDriver.runLocally(job, web, ssh);
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.terminationMessage())
                .matches("files=\\d+ bytes=\\d+ differences=0 transferred=\\d+ seconds=\\d+\\n");
        for (SitePlan site : plan.sites()) {
            for (SitePlan.PathMapping p : site.paths()) {
                Path legacy = host.root().resolve(p.legacy().substring(1));
                Path copy = web.resolve(p.target().substring("/srv/web/".length()));
                assertThat(FileTrees.tree(copy)).as(p.legacy()).isEqualTo(FileTrees.tree(legacy));
                try (Stream<Path> walk = Files.walk(copy)) {
                    for (Path f : walk.filter(f -> !f.toString().contains(".rsync-partial")).toList()) {
                        assertThat(Files.getAttribute(f, "unix:uid", LinkOption.NOFOLLOW_LINKS)).as(f.toString())
                                .isEqualTo(50000);
                        assertThat(Files.getAttribute(f, "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(50000);
                    }
                }
            }
        }
        Path staticCopy = web.resolve("static.example.test/root");
        assertThat(Files.getAttribute(staticCopy.resolve("index.html"), "unix:ino"))
                .as("hard link kept").isEqualTo(Files.getAttribute(staticCopy.resolve("index-hardlink.html"), "unix:ino"));

        // A change on the legacy host: one file grows, one is new, one goes away.
        byte[] added = new byte[50_000];
        new java.util.Random(7).nextBytes(added);
        Files.write(host.root().resolve("var/www/static/img/logo.png"), added, java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(host.root().resolve("var/www/php/uploads/second.txt"), "new upload\n");
        Files.delete(host.root().resolve("var/www/static/sub/index.html"));
        JobDriver.Run second = JobDriver.runLocally(job, web, ssh);
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(second.stat("Number of regular files transferred")).isEqualTo(2);
        assertThat(second.stat("Total transferred file size")).isBetween(50_000L, 60_000L);
        assertThat(second.terminationMessage()).containsPattern("differences=0 transferred=5\\d{4} ");
        assertThat(Files.exists(staticCopy.resolve("sub/index.html"))).as("deletion mirrored").isFalse();
        assertThat(FileTrees.tree(staticCopy)).isEqualTo(FileTrees.tree(host.root().resolve("var/www/static")));
    }

    @Test
    void aCopyJobThatCannotTrustTheHostFails() throws Exception {
        Job job = CopyJob.render(plan, "ferry-copy-2", host.address(), host.sshPort(), "root", "ferry-ssh", 50000,
                50000, CopySettings.defaults());
        Path web = Files.createDirectories(dir.resolve("web-untrusted"));
        JobDriver.Run run = JobDriver.runLocally(job, web, secretDir("[" + host.address() + "]:" + host.sshPort()
                + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"));
        assertThat(run.exit()).isNotZero();
        assertThat(run.output()).contains("Host key verification failed");
        try (Stream<Path> walk = Files.walk(web)) {
            assertThat(walk.filter(Files::isRegularFile).count()).as("nothing copied").isZero();
        }
    }

    MockCluster mock;
    KubernetesClient client;

    void startCluster() {
        mock = new MockCluster();
        client = mock.client();
    }

    void stopCluster() {
        mock.close();
    }

    /**
     * Runs the copy Jobs that have no outcome yet through {@link JobDriver}, with the SSH Secret they mount
     * holding the files of {@code ssh} (as the storage phase would have made it).
     */
    void driveJobs(Path web, Path ssh) throws Exception {
        var data = new java.util.HashMap<String, String>();
        for (String file : List.of("id", "known_hosts")) {
            data.put(file, java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(ssh.resolve(file))));
        }
        client.secrets().inNamespace(plan.namespace()).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName(CopyStep.SSH_SECRET).withNamespace(plan.namespace()).endMetadata()
                .withData(data).build()).createOr(existing -> existing.update());
        new JobDriver(client, web, Files.createDirectories(dir.resolve("driver-work"))).driveOnce();
    }

    /**
     * The copy phase against fabric8's mock API server, with {@link #driveJobs} standing in for the kubelet: it
     * runs each copy Job's container here and records the outcome in the Job's status. The step re-attaches to
     * its Job after a restart and starts a new run after a failure.
     */
    @Test
    void theCopyPhaseStartsItsJobOnceFindsItAgainAfterARestartAndRunsAgainAfterAFailure() throws Exception {
        startCluster();
        try {
            copyPhase();
        } finally {
            stopCluster();
        }
    }

    void copyPhase() throws Exception {
        var legacy = host;
        Host record = LegacyHosts.asRoot(legacy);
        Migration m = new Migration(7, 1, "legacy", Phase.COPY, MigrationStatus.RUNNING, 1, null, null,
                MigrationOptions.defaults(), Instant.EPOCH, Instant.EPOCH, 1, null, null, Phase.COPY);
        Ports ports = new Ports(Clock.systemUTC(), h -> { throw new AssertionError("the copy runs in the cluster"); },
                new KubernetesCluster(client), MockCluster.NO_PROBES);
        MemoryStepContext ctx = new MemoryStepContext(m, record, ports);
        ctx.outputs.put(Phase.PLAN, Json.write(plan));
        CopyStep step = new CopyStep(CopySettings.defaults(), 50000, 50000);
        Path web = Files.createDirectories(dir.resolve("step-web"));

        // A first run whose known_hosts does not know the host: the Job fails, the next attempt is run 2.
        Path untrusted = secretDir("[" + legacy.address() + "]:" + legacy.sshPort()
                + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl");
        assertThat(step.run(ctx)).isInstanceOf(StepResult.Wait.class);
        assertThat(step.run(ctx)).isInstanceOf(StepResult.Wait.class);
        driveJobs(web, untrusted);
        StepResult failed = step.run(ctx);
        assertThat(failed).isInstanceOf(StepResult.Retry.class);
        assertThat(((StepResult.Retry) failed).error()).contains("ferry-copy-7-1 failed: BackoffLimitExceeded");

        // Run 2 starts; the daemon "restarts" (a new step object, the same saved checkpoints) and finds its Job.
        assertThat(step.run(ctx)).isInstanceOf(StepResult.Wait.class);
        CopyStep afterRestart = new CopyStep(CopySettings.defaults(), 50000, 50000);
        assertThat(afterRestart.run(ctx)).isInstanceOf(StepResult.Wait.class);
        driveJobs(web, secretDir(legacy.knownHostsLine()));
        StepResult done = afterRestart.run(ctx);
        assertThat(done).isInstanceOf(StepResult.Done.class);
        CopyStep.Copied copied = (CopyStep.Copied) ((StepResult.Done) done).output();
        assertThat(copied.job()).isEqualTo("ferry-copy-7-2");
        assertThat(copied.run()).isEqualTo(2);
        assertThat(copied.verification().differences()).isZero();
        assertThat(copied.verification().files()).isPositive();

        assertThat(client.batch().v1().jobs().inNamespace(plan.namespace()).list().getItems())
                .extracting(j -> j.getMetadata().getName()).containsExactlyInAnyOrder("ferry-copy-7-1", "ferry-copy-7-2");
        assertThat(FileTrees.tree(web.resolve("php.example.test/root")))
                .isEqualTo(FileTrees.tree(legacy.root().resolve("var/www/php")));
        assertThat(ctx.events).filteredOn(e -> e.startsWith("copy.started")).hasSize(2);
    }

    /**
     * The storage phase on the mock API server: volumes, the TLS site's Secret with the legacy files' exact
     * bytes, and an SSH Secret with which the copy Job reaches the host (its script run here with the Secret's
     * files).
     */
    @Test
    void theStoragePhaseMakesTheSecretsTheSitesAndTheCopierNeed() throws Exception {
        startCluster();
        try {
            Host record = LegacyHosts.asRoot(host);
            Migration m = new Migration(8, 1, "legacy", Phase.STORAGE, MigrationStatus.RUNNING, 1, null, null,
                    MigrationOptions.defaults(), Instant.EPOCH, Instant.EPOCH, 1, null, null, Phase.STORAGE);
            SshRemoteShells shells = LegacyHosts.shells();
            MemoryStepContext ctx = new MemoryStepContext(m, record, new Ports(Clock.systemUTC(), shells,
                    new KubernetesCluster(client), MockCluster.NO_PROBES));
            ctx.outputs.put(Phase.PLAN, Json.write(plan));

            StepResult result = new dev.ferry.migrations.storage.StorageStep("{\"auths\":{}}".getBytes()).run(ctx);
            assertThat(result).isInstanceOf(StepResult.Done.class);
            String ns = plan.namespace();
            assertThat(client.persistentVolumeClaims().inNamespace(ns).list().getItems())
                    .extracting(c -> c.getMetadata().getName()).containsExactlyInAnyOrder("web-data", "web-log");
            var tls = client.secrets().inNamespace(ns).withName("tls-secure-example-test").get();
            for (String file : List.of("secure.crt", "secure.key", "dhparam.pem")) {
                assertThat(java.util.Base64.getDecoder().decode(tls.getData().get(file))).as(file)
                        .isEqualTo(Files.readAllBytes(host.root().resolve("etc/nginx/ssl/" + file)));
            }
            assertThat(client.secrets().inNamespace(ns).withName("ferry-registry").get().getType())
                    .isEqualTo("kubernetes.io/dockerconfigjson");
            assertThat(client.serviceAccounts().inNamespace(ns).withName("default").get().getImagePullSecrets())
                    .extracting(r -> r.getName()).containsExactly("ferry-registry");
            var ssh = client.secrets().inNamespace(ns).withName(CopyStep.SSH_SECRET).get();
            Path secretDir = Files.createDirectories(dir.resolve("secret-from-cluster"));
            for (var e : ssh.getData().entrySet()) {
                Files.write(secretDir.resolve(e.getKey()), java.util.Base64.getDecoder().decode(e.getValue()));
            }
            JobDriver.Run copy = JobDriver.runLocally(CopyJob.render(plan, "ferry-copy-8-1", host.address(),
                    host.sshPort(), "root", CopyStep.SSH_SECRET, 50000, 50000, CopySettings.defaults()),
                    Files.createDirectories(dir.resolve("web-from-secret")), secretDir);
            assertThat(copy.exit()).as(copy.output()).isZero();
            assertThat(String.join("\n", ctx.events)).doesNotContain("PRIVATE KEY").doesNotContain("BEGIN");
            assertThat(Json.write(((StepResult.Done) result).output())).doesNotContain("PRIVATE");
        } finally {
            stopCluster();
        }
    }
}
