package dev.ferry.migrations.copy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.migrations.plan.Plan;
import dev.ferry.migrations.port.Cluster;
import dev.ferry.migrations.step.StartAwaitStep;
import dev.ferry.migrations.step.StepContext;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.state.host.Host;
import dev.ferry.state.workflow.Phase;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The copy phase: one copy Job per run, named {@code ferry-copy-<migration>-<run>} so that a restarted daemon
 * finds the Job it started instead of starting another. The name is saved before the Job is applied; applying
 * an existing Job again changes nothing. A Job that fails for good makes the next attempt a new run (a new
 * Job), which rsync turns into a resume of what the failed one copied. While the Job runs, each check reports
 * how far it is ({@code copy.progress}, from the end of its pod's log) when that changed.
 */
public final class CopyStep implements StartAwaitStep {

    static final String JOB = "copy-job";
    /** The Secret the storage phase fills with Ferry's SSH key and the host's known_hosts line. */
    public static final String SSH_SECRET = "ferry-ssh";
    /**
     * How often a running copy is looked at: its progress comes from the pod's log, which no watch reports. The
     * Job's end is seen sooner, by ferryd's watch on Jobs.
     */
    static final Duration POLL = Duration.ofSeconds(5);
    /** The last progress reported, so that an unchanged one is not reported again. */
    static final String PROGRESS = "copy-progress";
    /** Enough of the log's end for the newest progress line, with room for rsync's warnings after it. */
    static final int LOG_LINES = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

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
        reportProgress(ctx, plan.namespace(), name, run);
        return StepResult.waitFor(POLL, "copy Job " + name + (s.active() > 0 ? " running" : " pending"));
    }

    /** The progress last reported, with the Job it came from. */
    record Reported(String job, CopyProgress progress) {
    }

    /**
     * Reports how far the running copy is, from the end of its pod's log, when that changed since the last
     * report. Only informative: no pod yet, no log yet or an API server that does not answer are normal and
     * change nothing.
     */
    private void reportProgress(StepContext ctx, String namespace, String job, int run) {
        Optional<CopyProgress> progress;
        try {
            Cluster cluster = ctx.ports().cluster();
            progress = pod(cluster.list("v1", "Pod", namespace, Map.of("job-name", job)))
                    .flatMap(pod -> cluster.podLog(namespace, pod, CopyJob.CONTAINER, false, LOG_LINES))
                    .flatMap(CopyProgress::parse);
        } catch (RuntimeException e) {
            // Transient or permanent, a failure here says nothing about the copy: the Job's status does.
            return;
        }
        if (progress.isEmpty()) {
            return;
        }
        Reported now = new Reported(job, progress.get());
        if (ctx.checkpoint(PROGRESS, Reported.class).filter(now::equals).isPresent()) {
            return;
        }
        ctx.saveCheckpoint(PROGRESS, now);
        CopyProgress p = progress.get();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("job", job);
        details.put("run", run);
        details.put("bytes", p.bytes());
        details.put("bytesPerSecond", p.bytesPerSecond());
        details.put("percent", p.percent());
        details.put("filesTransferred", p.filesTransferred());
        details.put("filesChecked", p.filesChecked());
        details.put("filesTotal", p.filesTotal());
        if (p.target() != null) {
            details.put("root", p.root());
            details.put("roots", p.roots());
            details.put("target", p.target());
        }
        ctx.event("copy.progress", "copy Job " + job + ": " + p.bytes() + " bytes transferred at "
                + p.bytesPerSecond() / 1024 + " KiB/s" + (p.target() == null ? "" : "; root " + p.root() + " of "
                + p.roots() + " (" + p.target() + ")") + " " + p.percent() + "% through, "
                + p.filesChecked() + " of " + p.filesTotal() + " files", details);
    }

    /** The pod to read: the Job's running one, or else its newest (the Job retries in new pods). */
    static Optional<String> pod(List<String> pods) {
        JsonNode best = null;
        for (String json : pods) {
            JsonNode pod;
            try {
                pod = JSON.readTree(json);
            } catch (java.io.IOException e) {
                continue;
            }
            if (best == null || rank(pod).compareTo(rank(best)) > 0) {
                best = pod;
            }
        }
        return Optional.ofNullable(best).map(p -> p.path("metadata").path("name").asText(null));
    }

    /** Running before anything else, then newer before older (RFC 3339 times in UTC sort as text). */
    private static String rank(JsonNode pod) {
        return (pod.path("status").path("phase").asText().equals("Running") ? "1" : "0")
                + pod.path("metadata").path("creationTimestamp").asText("");
    }
}
