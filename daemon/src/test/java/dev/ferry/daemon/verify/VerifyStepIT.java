package dev.ferry.daemon.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.daemon.LegacyHosts;
import dev.ferry.daemon.LocalCluster;
import dev.ferry.daemon.MemoryStepContext;
import dev.ferry.daemon.cluster.LazyCluster;
import dev.ferry.daemon.cluster.MockCluster;
import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.plan.ClusterSettings;
import dev.ferry.migrations.plan.Plan;
import dev.ferry.migrations.plan.Planner;
import dev.ferry.migrations.port.Ports;
import dev.ferry.migrations.port.Prober;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.migrations.testhost.LegacyHost;
import dev.ferry.migrations.verify.Ingress;
import dev.ferry.migrations.verify.Probe;
import dev.ferry.migrations.verify.ProbeResult;
import dev.ferry.migrations.verify.VerifyReport;
import dev.ferry.migrations.verify.VerifyStep;
import dev.ferry.state.Json;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.migration.MigrationOptions;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verify step between a real legacy host and a {@link LocalCluster} serving its plan, which plays the
 * cluster's ingress: the real prober, real nginx and php-fpm on both sides.
 */
class VerifyStepIT {

    static final String CSS = "static.example.test http GET /css/site.css";

    @TempDir
    static Path dir;
    static LegacyHost host;
    static Inventory inventory;
    static LocalCluster cluster;
    static HttpProber prober;
    static Plan plan;

    @BeforeAll
    static void start() throws Exception {
        host = LegacyHost.start();
        inventory = LegacyHosts.inventory(host);
        assertThat(inventory.warnings()).isEmpty();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        cluster = LocalCluster.start(host, inventory, dir.resolve("cluster"), LocalCluster.SiteFiles.legacy(host));
        // The plan as this cluster runs it: the product's plan with the sites rendered for the local layout, so
        // that the paths the cluster's pages show are the ones the plan maps back to the legacy ones.
        Plan product = Planner.plan(inventory, ClusterSettings.defaults());
        plan = new Plan(product.host(), product.namespace(), cluster.plan().sites(), product.nginxImage(),
                product.phpImages(), product.manifests(), product.problems(), product.contentHash());
        prober = new HttpProber(Duration.ofSeconds(5), Duration.ofSeconds(20), HttpProber.DEFAULT_BODY_LIMIT);
    }

    @AfterAll
    static void stop() {
        if (prober != null) {
            prober.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (host != null) {
            host.close();
        }
    }

    static MemoryStepContext context(Prober prober) {
        Migration m = new Migration(11, 1, "legacy", Phase.VERIFY, MigrationStatus.RUNNING, 1, null, null,
                MigrationOptions.defaults(), Instant.EPOCH, Instant.EPOCH, 1, null, null, Phase.VERIFY);
        MemoryStepContext ctx = new MemoryStepContext(m, LegacyHosts.asRoot(host), new Ports(Clock.systemUTC(),
                h -> {
                    throw new AssertionError("verification needs no SSH");
                }, LazyCluster.none(), prober));
        ctx.outputs.put(Phase.INVENTORY, Json.write(inventory));
        ctx.outputs.put(Phase.PLAN, Json.write(plan));
        return ctx;
    }

    static VerifyStep step() {
        return new VerifyStep(new Ingress(cluster.address(), 80, 443));
    }

    static ProbeResult result(VerifyReport report, String id) {
        return report.results().stream().filter(r -> r.probe().id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no probe " + id + " in " + report.results().stream()
                        .map(r -> r.probe().id()).toList()));
    }

    @Test
    void theClusterServesWhatTheLegacyHostServesThenAChangedFileFailsUntilItIsAccepted() throws Exception {
        MemoryStepContext ctx = context(prober);
        int logged = cluster.accessLogLines().size();
        StepResult first = step().run(ctx);

        assertThat(first).isInstanceOf(StepResult.Done.class);
        VerifyReport report = (VerifyReport) ((StepResult.Done) first).output();
        assertThat(report.results()).allSatisfy(r -> assertThat(r.verdict()).as(r.probe().id() + ": "
                + r.differences()).isEqualTo(ProbeResult.Verdict.MATCH));
        assertThat(report.results()).extracting(r -> r.probe().id()).containsExactly(
                "app.example.test http GET /", "app.example.test http GET /index.php",
                "app.example.test http GET /wp-config.php",
                "php.example.test http GET /", "php.example.test http GET /index.php",
                "php.example.test http GET /owner.txt", "php.example.test http GET /info.php",
                "php.example.test http GET /docs/",
                "secure.example.test https GET /", "secure.example.test https GET /index.html",
                "secure.example.test http GET /",
                "static.example.test http GET /", "static.example.test http GET /index.html", CSS);
        assertThat(report.matched()).isEqualTo(report.probes());
        assertThat(result(report, "app.example.test http GET /wp-config.php").cluster().status()).isEqualTo(403);
        assertThat(((StepResult.Done) first).summary()).isEqualTo(report.probes() + " probes match (0 accepted)");
        // The PHP page shows where it runs from, on each side its own path; the same once normalised.
        ProbeResult info = result(report, "php.example.test http GET /info.php");
        assertThat(info.probe().kind()).isEqualTo(Probe.Kind.DYNAMIC);
        assertThat(info.legacy().excerpt()).contains("SCRIPT_FILENAME=/var/www/php/info.php");
        assertThat(info.cluster().excerpt()).contains("SCRIPT_FILENAME=/var/www/php/info.php");
        assertThat(info.cluster().bodySha256()).isNotEqualTo(info.legacy().bodySha256());
        // Over TLS, through SNI; and the plain server's redirect, not followed.
        assertThat(result(report, "secure.example.test https GET /").cluster().excerpt()).contains("secure site");
        ProbeResult redirect = result(report, "secure.example.test http GET /");
        assertThat(redirect.legacy().status()).isEqualTo(301);
        assertThat(redirect.cluster().location()).isEqualTo("https://secure.example.test/");
        assertThat(result(report, "php.example.test http GET /docs/").cluster().excerpt())
                .contains("docs served through an alias");
        // Each probe reached the local cluster: its access logs grew by one line a probe.
        assertThat(cluster.accessLogLines()).hasSize(logged + report.probes());
        assertThat(ctx.checkpoint(VerifyStep.REPORT, VerifyReport.class)).contains(report);
        assertThat(ctx.events).contains("verify.completed: " + report.probes() + " probes: " + report.probes()
                + " match, 0 accepted, 0 differ");

        Path css = cluster.webRoot().resolve("static.example.test/root/css/site.css");
        String original = Files.readString(css);
        try {
            Files.writeString(css, "body { color: red; }\n");
            StepResult second = step().run(ctx);
            assertThat(second).isInstanceOf(StepResult.Fail.class);
            assertThat(((StepResult.Fail) second).error()).startsWith("verification: 1 of " + report.probes()
                    + " probes differ: " + CSS + ": body differs: legacy sha256 ")
                    .endsWith(" – see GET /api/v1/migrations/11/verification; accept with POST "
                            + "/api/v1/migrations/11/verification/accept");
            VerifyReport failed = ctx.checkpoint(VerifyStep.REPORT, VerifyReport.class).orElseThrow();
            assertThat(failed.mismatched()).isEqualTo(1);
            ProbeResult changed = result(failed, CSS);
            assertThat(changed.verdict()).isEqualTo(ProbeResult.Verdict.MISMATCH);
            assertThat(changed.legacy().excerpt()).isEqualTo(original);
            assertThat(changed.cluster().excerpt()).isEqualTo("body { color: red; }\n");
            assertThat(changed.legacy().bodySha256()).isNotEqualTo(changed.cluster().bodySha256());
            assertThat(ctx.events).anyMatch(e -> e.startsWith("verify.mismatch: " + CSS + ": body differs"));

            // The operator accepts the difference (the API writes the checkpoint).
            ctx.saveCheckpoint(VerifyStep.ACCEPTED, List.of(CSS));
            StepResult third = step().run(ctx);
            assertThat(third).isInstanceOf(StepResult.Done.class);
            assertThat(((StepResult.Done) third).summary()).isEqualTo(report.probes() + " probes match (1 accepted)");
            VerifyReport accepted = (VerifyReport) ((StepResult.Done) third).output();
            assertThat(result(accepted, CSS).verdict()).isEqualTo(ProbeResult.Verdict.ACCEPTED);
            assertThat(result(accepted, CSS).differences()).singleElement().asString().startsWith("body differs");
            assertThat(accepted.accepted()).isEqualTo(1);
            assertThat(accepted.mismatched()).isZero();
        } finally {
            Files.writeString(css, original);
        }
    }

    @Test
    void withoutAnIngressAddressVerificationFailsSayingWhatToSet() {
        StepResult r = new VerifyStep(new Ingress(null, 80, 443)).run(context(MockCluster.NO_PROBES));
        assertThat(r).isEqualTo(StepResult.fail("verify needs the cluster's ingress address: set "
                + "cutover.ingressAddress in ferry.yaml"));
    }

    @Test
    void aClusterThatDoesNotAnswerFailsEveryProbe() throws Exception {
        // An address with nothing listening: every probe of the cluster is refused.
        String nobody = LocalCluster.takeLoopbackAddress();
        try {
            MemoryStepContext ctx = context(prober);
            StepResult r = new VerifyStep(new Ingress(nobody, 80, 443)).run(ctx);
            assertThat(r).isInstanceOf(StepResult.Fail.class);
            VerifyReport report = ctx.checkpoint(VerifyStep.REPORT, VerifyReport.class).orElseThrow();
            assertThat(report.mismatched()).isEqualTo(report.probes());
            assertThat(report.results()).allSatisfy(p -> assertThat(p.differences())
                    .containsExactly("no answer in the cluster (connection refused); the legacy host answered "
                            + p.legacy().status()));
            assertThat(((StepResult.Fail) r).error()).contains("; ... – see GET");
        } finally {
            LocalCluster.releaseLoopbackAddress(nobody);
        }
    }
}
