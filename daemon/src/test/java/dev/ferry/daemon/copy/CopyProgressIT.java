package dev.ferry.daemon.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.daemon.FileTrees;
import dev.ferry.daemon.LegacyHosts;
import dev.ferry.daemon.MemoryStepContext;
import dev.ferry.daemon.cluster.JobDriver;
import dev.ferry.daemon.cluster.KubernetesCluster;
import dev.ferry.daemon.cluster.MockCluster;
import dev.ferry.migrations.copy.CopySettings;
import dev.ferry.migrations.copy.CopyStep;
import dev.ferry.migrations.plan.ClusterSettings;
import dev.ferry.migrations.plan.Plan;
import dev.ferry.migrations.plan.Planner;
import dev.ferry.migrations.plan.SitePlan;
import dev.ferry.migrations.port.Ports;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.migrations.testhost.LegacyHost;
import dev.ferry.state.Json;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.migration.MigrationOptions;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copy phase while its Job runs, with {@link JobDriver} running the Job's script here and serving what it
 * writes as the pod's log: the step reports the copy's progress from that log. And the copy from a node (the
 * legacy host's own file system through hostPath volumes), run here with the test legacy host's root as the
 * node's: the same copy as over SSH.
 */
class CopyProgressIT {

    static LegacyHost host;
    static Plan plan;
    /** Bytes below the legacy roots: what a full copy transfers at most. */
    static long legacyBytes;
    @TempDir
    static Path dir;

    @BeforeAll
    static void plan() throws Exception {
        host = LegacyHost.start();
        // Enough data that a copy limited to 1 MiB/s runs for seconds: the step looks at it several times.
        byte[] big = new byte[3 * 1024 * 1024];
        new Random(11).nextBytes(big);
        Files.write(host.root().resolve("var/www/static/img/big.bin"), big);
        plan = Planner.plan(LegacyHosts.inventory(host), ClusterSettings.defaults());
        assertThat(plan.blocked()).as(plan.problems().toString()).isFalse();
        for (SitePlan site : plan.sites()) {
            for (SitePlan.PathMapping p : site.paths()) {
                try (Stream<Path> walk = Files.walk(host.root().resolve(p.legacy().substring(1)))) {
                    legacyBytes += walk.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    static MemoryStepContext context(MockCluster mock, long migration) {
        Migration m = new Migration(migration, 1, "legacy", Phase.COPY, MigrationStatus.RUNNING, 1, null, null,
                MigrationOptions.defaults(), Instant.EPOCH, Instant.EPOCH, 1, null, null, Phase.COPY);
        Ports ports = new Ports(Clock.systemUTC(), h -> { throw new AssertionError("the copy runs in the cluster"); },
                new KubernetesCluster(mock.client()), MockCluster.NO_PROBES);
        MemoryStepContext ctx = new MemoryStepContext(m, LegacyHosts.asRoot(host), ports);
        ctx.outputs.put(Phase.PLAN, Json.write(plan));
        return ctx;
    }

    /** Runs the step as the engine would, every 200 ms instead of its 5 s, until it is done. */
    static CopyStep.Copied copy(CopyStep step, MemoryStepContext ctx) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        while (true) {
            StepResult r = step.run(ctx);
            if (r instanceof StepResult.Done done) {
                return (CopyStep.Copied) done.output();
            }
            assertThat(r).as(String.join("\n", ctx.events)).isInstanceOf(StepResult.Wait.class);
            assertThat(Instant.now()).as("the copy did not finish").isBefore(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    void aRunningCopyReportsItsProgressFromItsLog() throws Exception {
        try (MockCluster mock = new MockCluster();
             JobDriver driver = new JobDriver(mock, Files.createDirectories(dir.resolve("web")),
                     Files.createDirectories(dir.resolve("work"))).start()) {
            Map<String, String> data = Map.of(
                    "id", Base64.getEncoder().encodeToString(Files.readAllBytes(host.clientKey())),
                    "known_hosts", Base64.getEncoder().encodeToString((host.knownHostsLine() + "\n").getBytes()));
            mock.client().secrets().inNamespace(plan.namespace()).resource(new io.fabric8.kubernetes.api.model
                    .SecretBuilder().withNewMetadata().withName(CopyStep.SSH_SECRET).withNamespace(plan.namespace())
                    .endMetadata().withData(data).build()).create();
            MemoryStepContext ctx = context(mock, 21);

            CopyStep.Copied copied = copy(new CopyStep(new CopySettings("alpine:3.20", 1024, ""), 50000, 50000), ctx);

            assertThat(copied.verification().differences()).isZero();
            List<MemoryStepContext.Event> progress = ctx.recorded.stream()
                    .filter(e -> e.kind().equals("copy.progress")).toList();
            assertThat(progress).as(String.join("\n", ctx.events)).isNotEmpty();
            for (MemoryStepContext.Event e : progress) {
                assertThat(e.details().get("job")).isEqualTo("ferry-copy-21-1");
                assertThat(e.number("percent")).as(e.message()).isBetween(0L, 100L);
                assertThat(e.number("bytes")).as(e.message()).isBetween(0L, copied.verification().transferred());
                assertThat(e.number("filesChecked")).as(e.message()).isLessThanOrEqualTo(e.number("filesTotal"));
                assertThat(e.number("root")).isBetween(1L, e.number("roots"));
                // rsync keeps to --bwlimit on average; a moment's rate may be somewhat above it.
                assertThat(e.number("bytesPerSecond")).as(e.message()).isBetween(0L, 3L * 1024 * 1024);
            }
            assertThat(progress).as("the big file, copied at 1 MiB/s, is seen on its way")
                    .anySatisfy(e -> {
                        assertThat(e.number("bytes")).isPositive();
                        assertThat(e.number("bytesPerSecond")).isPositive();
                        assertThat(e.details().get("target")).isEqualTo("static.example.test/root");
                    });
            for (int i = 1; i < progress.size(); i++) {
                assertThat(progress.get(i).details()).as("only changes are reported")
                        .isNotEqualTo(progress.get(i - 1).details());
            }
            assertThat(ctx.events.indexOf(ctx.events.stream().filter(e -> e.startsWith("copy.verified"))
                    .findFirst().orElseThrow())).as("reported while the Job ran")
                    .isGreaterThan(ctx.events.indexOf(ctx.events.stream()
                            .filter(e -> e.startsWith("copy.progress")).reduce((a, b) -> b).orElseThrow()));
            assertThat(copied.verification().transferred()).isLessThanOrEqualTo(legacyBytes);
        }
    }

    @Test
    void fromTheNodeTheLegacyHostIsTheCopyIsTheSameWithoutSsh() throws Exception {
        try (MockCluster mock = new MockCluster();
             JobDriver driver = new JobDriver(mock, Files.createDirectories(dir.resolve("node-web")),
                     Files.createDirectories(dir.resolve("node-work"))).node("legacy-node", host.root()).start()) {
            MemoryStepContext ctx = context(mock, 22);
            long logins = host.acceptedLogins();

            CopyStep.Copied copied = copy(new CopyStep(new CopySettings("alpine:3.20", 0, "legacy-node"), 50000,
                    50000), ctx);

            assertThat(copied.verification().differences()).isZero();
            assertThat(copied.verification().files()).isPositive();
            assertThat(mock.client().secrets().inNamespace(plan.namespace()).list().getItems())
                    .as("no Secret needed").isEmpty();
            assertThat(host.acceptedLogins()).as("nothing over SSH").isEqualTo(logins);
            Path web = dir.resolve("node-web");
            for (SitePlan site : plan.sites()) {
                for (SitePlan.PathMapping p : site.paths()) {
                    Path copy = web.resolve(p.target().substring("/srv/web/".length()));
                    assertThat(FileTrees.tree(copy)).as(p.legacy())
                            .isEqualTo(FileTrees.tree(host.root().resolve(p.legacy().substring(1))));
                    try (Stream<Path> walk = Files.walk(copy)) {
                        for (Path f : walk.toList()) {
                            assertThat(Files.getAttribute(f, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                                    .as(f.toString()).isEqualTo(50000);
                        }
                    }
                }
            }
            Path staticCopy = web.resolve("static.example.test/root");
            assertThat(Files.getAttribute(staticCopy.resolve("index.html"), "unix:ino")).as("hard link kept")
                    .isEqualTo(Files.getAttribute(staticCopy.resolve("index-hardlink.html"), "unix:ino"));
        }
    }
}
