package dev.ferry.migrations.build;

import dev.ferry.migrations.plan.ImageContext;
import dev.ferry.migrations.plan.Manifests;
import dev.ferry.migrations.plan.Plan;
import dev.ferry.migrations.port.Cluster;
import dev.ferry.migrations.step.StartAwaitStep;
import dev.ferry.migrations.step.StepContext;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.state.workflow.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The build phase: one BuildKit Job per image of the plan, named after the image's content hash, so that an
 * image already built from the same context (by this migration before a restart, or by an earlier one) is not
 * built again: its finished Job is found and its digest reused. A Job that fails makes the next attempt a new
 * run with new Jobs.
 */
public final class BuildStep implements StartAwaitStep {

    /** A timeout: ferryd watches the Jobs and wakes the migration when one changes. */
    static final Duration POLL = Duration.ofSeconds(30);
    static final int LOG_LINES = 20;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    /** The docker-registry Secret the storage phase provides for pushing and pulling. */
    public static final String REGISTRY_SECRET = "ferry-registry";

    private final String buildkitImage;

    public BuildStep(String buildkitImage) {
        this.buildkitImage = buildkitImage;
    }

    /** An image as pushed. */
    public record Image(String reference, String digest) {
    }

    /** The phase's output: every image of the plan, pushed. */
    public record Built(List<Image> images) {
    }

    static List<ImageContext> images(Plan plan) {
        List<ImageContext> images = new ArrayList<>();
        if (plan.nginxImage() != null) {
            images.add(plan.nginxImage());
        }
        images.addAll(plan.phpImages());
        return images;
    }

    static String jobName(ImageContext image, int run) {
        return BuildJob.jobName(image) + (run == 1 ? "" : "-r" + run);
    }

    @Override
    public StepResult start(StepContext ctx) {
        Plan plan = ctx.requireOutput(Phase.PLAN, Plan.class);
        int run = runNumber(ctx);
        Cluster cluster = ctx.ports().cluster();
        for (ImageContext image : images(plan)) {
            String name = jobName(image, run);
            if (cluster.job(plan.namespace(), name).map(Cluster.JobStatus::complete).orElse(false)) {
                continue; // built before from the same context
            }
            cluster.apply(BuildJob.render(image, plan.namespace(), name, buildkitImage, REGISTRY_SECRET).stream()
                    .map(Manifests::yaml).toList());
            ctx.event("build.started", "building " + image.reference() + " with Job " + name,
                    Map.of("image", image.reference(), "job", name));
        }
        return StepResult.waitFor(Duration.ZERO, "build Jobs applied");
    }

    /** The last lines a failed build's pod wrote (BuildKit's error comes last), or null when there are none. */
    static String logTail(Cluster cluster, String namespace, String job) {
        for (String pod : cluster.list("v1", "Pod", namespace, Map.of("job-name", job))) {
            String name;
            try {
                name = JSON.readTree(pod).path("metadata").path("name").asText(null);
            } catch (java.io.IOException e) {
                continue;
            }
            if (name != null) {
                var log = cluster.podLog(namespace, name, BuildJob.CONTAINER, false, LOG_LINES);
                if (log.isPresent()) {
                    return log.get().stripTrailing();
                }
            }
        }
        return null;
    }

    @Override
    public StepResult await(StepContext ctx) {
        Plan plan = ctx.requireOutput(Phase.PLAN, Plan.class);
        int run = runNumber(ctx);
        Cluster cluster = ctx.ports().cluster();
        List<Image> built = new ArrayList<>();
        for (ImageContext image : images(plan)) {
            String name = jobName(image, run);
            var status = cluster.job(plan.namespace(), name);
            if (status.isEmpty()) {
                return startOver(ctx, "build Job " + name + " of " + image.reference() + " disappeared");
            }
            if (status.get().failedForGood()) {
                String log = logTail(cluster, plan.namespace(), name);
                String why = "build Job " + name + " of " + image.reference() + " failed: " + status.get().message()
                        + cluster.jobResult(plan.namespace(), name).map(m -> "; its last words: " + m).orElse("")
                        + (log == null ? "" : "; the build log ends with:\n" + log);
                ctx.event("build.failed", why, log == null ? Map.of("job", name) : Map.of("job", name, "log", log));
                return startOver(ctx, why);
            }
            if (!status.get().complete()) {
                return StepResult.waitFor(POLL, "building " + image.reference());
            }
            String digest = cluster.jobResult(plan.namespace(), name).orElse(null);
            if (digest == null || !digest.startsWith("sha256:")) {
                return startOver(ctx, "build Job " + name + " finished without reporting the pushed digest");
            }
            built.add(new Image(image.reference(), digest));
        }
        return StepResult.done(new Built(built), built.size() + " images pushed");
    }
}
