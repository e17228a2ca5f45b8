package dev.ferry.migrations.copy;

import dev.ferry.migrations.plan.Plan;
import dev.ferry.migrations.port.Cluster;
import dev.ferry.migrations.step.StartAwaitStep;
import dev.ferry.migrations.step.StepContext;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.state.host.Host;
import dev.ferry.state.workflow.Phase;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The copy phase: one copy Job per run, named {@code ferry-copy-<migration>-<run>} so that a restarted daemon
 * finds the Job it started instead of starting another. The name is saved before the Job is applied; applying
 * an existing Job again changes nothing. A Job that fails for good makes the next attempt a new run (a new
 * Job), which rsync turns into a resume of what the failed one copied.
 */
public final class CopyStep implements StartAwaitStep {

    static final String JOB = "copy-job";
    /** The Secret the storage phase fills with Ferry's SSH key and the host's known_hosts line. */
    public static final String SSH_SECRET = "ferry-ssh";
    /** A timeout: ferryd watches the Jobs and wakes the migration when one changes. */
    static final Duration POLL = Duration.ofSeconds(15);

    private final CopySettings settings;
    private final int uid;
    private final int gid;
    private final String jobPrefix;

    public CopyStep(CopySettings settings, int uid, int gid) {
        this(settings, uid, gid, "ferry-copy-");
    }

    /** @param jobPrefix begins the Jobs' names: the cutover's final copy has its own, so it never finds the warm copy's Jobs */
    public CopyStep(CopySettings settings, int uid, int gid, String jobPrefix) {
        this.settings = settings;
        this.uid = uid;
        this.gid = gid;
        this.jobPrefix = jobPrefix;
    }

    /** The result of a finished copy: which Job did it, on which run, and what its check found. */
    public record Copied(String job, int run, CopyJob.Verification verification) {
    }

    @Override
    public StepResult start(StepContext ctx) {
        Plan plan = ctx.requireOutput(Phase.PLAN, Plan.class);
        Host host = ctx.host();
        int run = runNumber(ctx);
        String name = jobPrefix + ctx.migration().id() + "-" + run;
        ctx.saveCheckpoint(JOB, name);
        String job = CopyJob.yaml(CopyJob.render(plan, name, host.spec().address(), host.spec().port(),
                host.spec().user(), SSH_SECRET, uid, gid, settings));
        ctx.ports().cluster().apply(List.of(job));
        ctx.event("copy.started", "copy Job " + plan.namespace() + "/" + name + " started (run " + run + ")",
                Map.of("job", name, "run", run));
        return StepResult.waitFor(POLL, "copy Job " + name + " running");
    }

    @Override
    public StepResult await(StepContext ctx) {
        Plan plan = ctx.requireOutput(Phase.PLAN, Plan.class);
        String name = ctx.checkpoint(JOB, String.class).orElseThrow(() -> new IllegalStateException(
                "the copy phase was started but recorded no Job name"));
        int run = runNumber(ctx);
        var status = ctx.ports().cluster().job(plan.namespace(), name);
        if (status.isEmpty()) {
            return startOver(ctx, "copy Job " + name + " disappeared before it finished");
        }
        Cluster.JobStatus s = status.get();
        if (s.complete()) {
            CopyJob.Verification v = ctx.ports().cluster().jobResult(plan.namespace(), name)
                    .map(CopyJob::verification).orElse(null);
            if (v == null) {
                return startOver(ctx, "copy Job " + name + " finished without reporting its check");
            }
            if (v.differences() > 0) {
                // The site changed while it was copied, or the copy is wrong: another run copies the rest.
                return startOver(ctx, "after copy Job " + name + ", a dry run with checksums still finds "
                        + v.differences() + " differences with the legacy host");
            }
            ctx.event("copy.verified", "copy Job " + name + " transferred " + v.transferred() + " bytes in "
                    + v.seconds() + " s and left " + v.files() + " files, " + v.bytes() + " bytes; a checksum dry run "
                    + "finds no difference", Map.of("files", v.files(), "bytes", v.bytes(), "transferred",
                    v.transferred(), "seconds", v.seconds(), "run", run));
            return StepResult.done(new Copied(name, run, v), "copied and verified by Job " + name);
        }
        if (s.failedForGood()) {
            return startOver(ctx, "copy Job " + name + " failed: " + s.message());
        }
        return StepResult.waitFor(POLL, "copy Job " + name + (s.active() > 0 ? " running" : " pending"));
    }
}
