package dev.ferry.daemon.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.daemon.ssh.CommandTimer;
import dev.ferry.daemon.ssh.SshRemoteShells;
import dev.ferry.daemon.ssh.SshSettings;
import dev.ferry.migrations.copy.CopyJob;
import dev.ferry.migrations.copy.CopySettings;
import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.inventory.InventoryCollector;
import dev.ferry.migrations.plan.ClusterSettings;
import dev.ferry.migrations.plan.Plan;
import dev.ferry.migrations.plan.Planner;
import dev.ferry.migrations.plan.SitePlan;
import dev.ferry.migrations.port.RemoteShell;
import dev.ferry.migrations.testhost.LegacyHost;
import dev.ferry.state.host.Host;
import dev.ferry.state.host.HostSpec;
import dev.ferry.state.host.SshAuth;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copy Job's own script, run on this machine the way the cluster would run the Job's container (the
 * web-data volume is a directory, the SSH Secret a directory with the key and known_hosts), against the real
 * sshd of the test legacy host: the copy equals the legacy roots byte for byte, everything owned by the shared
 * UID/GID, hard links kept; a second run copies only what changed and mirrors deletions.
 */
class CopyJobIT {

    static LegacyHost host;
    static Plan plan;
    @TempDir
    static Path dir;

    @BeforeAll
    static void plan() {
        host = LegacyHost.start();
        Host record = new Host(1, new HostSpec("legacy", host.address(), host.sshPort(), "root",
                SshAuth.key(host.clientKey().toString()), false, null, null, host.hostKeyFingerprint(), false, null),
                Instant.EPOCH, Instant.EPOCH);
        Inventory inventory;
        try (RemoteShell shell = new SshRemoteShells(new SshSettings(Duration.ofSeconds(10), Duration.ofSeconds(60),
                4 * 1024 * 1024, null), (h, fp) -> { }, CommandTimer.NONE).open(record)) {
            inventory = new InventoryCollector(Clock.systemUTC()).collect("legacy", host.address(), shell);
        }
        plan = Planner.plan(inventory, ClusterSettings.defaults());
        assertThat(plan.blocked()).as(plan.problems().toString()).isFalse();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    /** Runs the Job's container command here, with its volumes at these directories. */
    static Run runLocally(Job job, Path web, Path ssh) throws Exception {
        Container c = job.getSpec().getTemplate().getSpec().getContainers().getFirst();
        ProcessBuilder pb = new ProcessBuilder(c.getCommand()).redirectErrorStream(true);
        c.getEnv().forEach(e -> pb.environment().put(e.getName(), e.getValue()));
        pb.environment().put("WEB", web.toString());
        pb.environment().put("SSH_DIR", ssh.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    record Run(int exit, String output) {
        long stat(String name) {
            return output.lines().filter(l -> l.startsWith(name + ": ")).mapToLong(l -> Long.parseLong(
                    l.substring(name.length() + 2).split(" ")[0].replace(",", ""))).sum();
        }
    }

    static Path secretDir(String knownHosts) throws Exception {
        Path ssh = Files.createDirectories(dir.resolve("ssh-" + knownHosts.hashCode()));
        Files.copy(host.clientKey(), ssh.resolve("id"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(ssh.resolve("known_hosts"), knownHosts + "\n");
        return ssh;
    }

    /** Every entry below {@code root}: type and content hash (or link target), by relative path. */
    static Map<String, String> tree(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String rel = root.relativize(p).toString();
                if (rel.startsWith(".rsync-partial")) {
                    continue;
                }
                out.put(rel, Files.isSymbolicLink(p) ? "link " + Files.readSymbolicLink(p)
                        : Files.isDirectory(p) ? "dir"
                        : "file " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                .digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }

    @Test
    void theCopyEqualsTheLegacyRootsIsOwnedByTheSharedIdsAndASecondRunIsADelta() throws Exception {
        Job job = CopyJob.render(plan, "ferry-copy-1", host.address(), host.sshPort(), "root", "ferry-ssh", 50000,
                50000, CopySettings.defaults());
        assertThat(CopyJob.yaml(job)).contains("kind: Job").contains("claimName: web-data");
        Path web = Files.createDirectories(dir.resolve("web"));
        Path ssh = secretDir(host.knownHostsLine());

        Run first = runLocally(job, web, ssh);
        assertThat(first.exit()).as(first.output()).isZero();
        for (SitePlan site : plan.sites()) {
            for (SitePlan.PathMapping p : site.paths()) {
                Path legacy = host.root().resolve(p.legacy().substring(1));
                Path copy = web.resolve(p.target().substring("/srv/web/".length()));
                assertThat(tree(copy)).as(p.legacy()).isEqualTo(tree(legacy));
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
        Run second = runLocally(job, web, ssh);
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(second.stat("Number of regular files transferred")).isEqualTo(2);
        assertThat(second.stat("Total transferred file size")).isBetween(50_000L, 60_000L);
        assertThat(Files.exists(staticCopy.resolve("sub/index.html"))).as("deletion mirrored").isFalse();
        assertThat(tree(staticCopy)).isEqualTo(tree(host.root().resolve("var/www/static")));
    }

    @Test
    void aCopyJobThatCannotTrustTheHostFails() throws Exception {
        Job job = CopyJob.render(plan, "ferry-copy-2", host.address(), host.sshPort(), "root", "ferry-ssh", 50000,
                50000, CopySettings.defaults());
        Path web = Files.createDirectories(dir.resolve("web-untrusted"));
        Run run = runLocally(job, web, secretDir("[" + host.address() + "]:" + host.sshPort()
                + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"));
        assertThat(run.exit()).isNotZero();
        assertThat(run.output()).contains("Host key verification failed");
        try (Stream<Path> walk = Files.walk(web)) {
            assertThat(walk.filter(Files::isRegularFile).count()).as("nothing copied").isZero();
        }
    }
}
