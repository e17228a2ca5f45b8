package dev.ferry.migrations.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.migrations.build.BuildStep;
import dev.ferry.migrations.plan.Manifests;
import dev.ferry.migrations.plan.Plan;
import dev.ferry.migrations.port.Cluster;
import dev.ferry.migrations.port.PermanentFailure;
import dev.ferry.migrations.step.StartAwaitStep;
import dev.ferry.migrations.step.StepContext;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.state.workflow.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The deploy phase: applies every object of the plan (server-side, in the plan's order, so the namespace comes
 * first), with the Deployments' images pinned to the digests the build pushed, then waits until each Deployment
 * has rolled out. Applying is idempotent, so a start repeated after a crash changes nothing. While waiting it
 * reads what keeps pods from running (image pulls, crash loops, scheduling, the progress deadline), reports each
 * problem once, and hands the attempt back to the engine's retry policy when a problem persists.
 */
public final class DeployStep implements StartAwaitStep {

    /** A timeout: ferryd watches the Deployments and wakes the migration when one changes. */
    static final Duration POLL = Duration.ofSeconds(15);
    static final String SIGHTINGS = "problems";
    static final int LOG_LINES = 20;
    static final String INGRESS = "sites";

    /** A Deployment as rolled out: the controller's revision, the spec generation it runs, its images. */
    public record Revision(String name, String revision, long generation, List<String> images) {
        public Revision {
            images = List.copyOf(images);
        }
    }

    /**
     * The phase's output.
     *
     * @param ingressAddress where the {@value #INGRESS} Ingress is reachable (for the DNS change), null while the
     *                       ingress controller reports none
     */
    public record Deployed(List<Revision> deployments, String ingressAddress) {
        public Deployed {
            deployments = List.copyOf(deployments);
        }
    }

    /**
     * The problems await has seen: each reported one by {@link Rollout.Problem#key()} with its message (not logged
     * again), and the keys of the last poll (a problem seen on two polls in a row is not a passing state).
     */
    record Sightings(Map<String, String> reported, List<String> lastPoll) {
        static final Sightings NONE = new Sightings(Map.of(), List.of());
    }

    /** An object of the plan. */
    record Target(String apiVersion, String kind, String namespace, String name) {
    }

    @Override
    public StepResult start(StepContext ctx) {
        Plan plan = ctx.requireOutput(Phase.PLAN, Plan.class);
        Map<String, String> digests = ctx.output(Phase.BUILD, BuildStep.Built.class)
                .map(built -> built.images().stream().collect(Collectors.toMap(BuildStep.Image::reference,
                        BuildStep.Image::digest, (first, same) -> first)))
                .orElse(Map.of());
        List<String> manifests = plan.manifests().values().stream().map(m -> pinned(m, digests)).toList();
        List<String> applied = ctx.ports().cluster().apply(manifests);
        ctx.event("deploy.applied", applied.size() + " objects applied: " + String.join(", ", applied),
                Map.of("objects", applied));
        return StepResult.waitFor(POLL, "waiting for " + deployments(plan).size() + " Deployments to roll out");
    }

    @Override
    public StepResult await(StepContext ctx) {
        Plan plan = ctx.requireOutput(Phase.PLAN, Plan.class);
        Cluster cluster = ctx.ports().cluster();
        List<Rollout> rolledOut = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        List<Rollout.Problem> problems = new ArrayList<>();
        for (Target d : deployments(plan)) {
            var json = cluster.get(d.apiVersion(), d.kind(), d.namespace(), d.name());
            if (json.isEmpty()) {
                return startOver(ctx, "Deployment " + d.namespace() + "/" + d.name() + " disappeared before it "
                        + "rolled out");
            }
            Rollout r = Rollout.of(json.get());
            switch (r.outcome(r.complete() ? List.of() : cluster.list("v1", "Pod", d.namespace(), r.selector()))) {
                case Rollout.RolledOut done -> rolledOut.add(done.rollout());
                case Rollout.InProgress p -> waiting.add(p.why());
                case Rollout.Stuck s -> s.problems().forEach(p -> problems.add(
                        p.reason() == Rollout.Reason.CRASH_LOOP ? p.withLog(lastLog(cluster, d.namespace(), p)) : p));
            }
        }
        if (problems.isEmpty() && waiting.isEmpty()) {
            ctx.saveCheckpoint(SIGHTINGS, Sightings.NONE);
            return done(ctx, plan, rolledOut);
        }
        Sightings before = ctx.checkpoint(SIGHTINGS, Sightings.class).orElse(Sightings.NONE);
        Map<String, String> reported = new LinkedHashMap<>(before.reported());
        List<Rollout.Problem> fresh = new ArrayList<>();
        for (Rollout.Problem p : problems) {
            if (!reported.containsKey(p.key())) {
                reported.put(p.key(), p.message());
                fresh.add(p);
            }
        }
        Set<String> lastPoll = new HashSet<>(before.lastPoll());
        ctx.saveCheckpoint(SIGHTINGS, new Sightings(reported, problems.stream().map(Rollout.Problem::key).toList()));
        for (Rollout.Problem p : fresh) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("deployment", p.deployment());
            details.put("reason", p.status());
            if (p.pod() != null) {
                details.put("pod", p.pod());
            }
            if (p.container() != null) {
                details.put("container", p.container());
            }
            ctx.event("deploy.problem", p.message(), details);
        }
        // A pod may pass through a failed pull or a crash and recover; one that is still stuck a poll later is not.
        List<Rollout.Problem> persistent = problems.stream()
                .filter(p -> p.immediate() || lastPoll.contains(p.key())).toList();
        if (!persistent.isEmpty()) {
            return StepResult.retry(persistent.stream().map(Rollout.Problem::message)
                    .collect(Collectors.joining("; ")));
        }
        return StepResult.waitFor(POLL, problems.isEmpty() ? String.join("; ", waiting)
                : problems.getFirst().message());
    }

    private StepResult done(StepContext ctx, Plan plan, List<Rollout> rolledOut) {
        List<Revision> revisions = rolledOut.stream().map(r -> new Revision(r.name(), r.revision(),
                r.observedGeneration(), r.images())).toList();
        String address = plan.manifests().values().stream().map(DeployStep::target)
                .filter(t -> t.kind().equals("Ingress") && t.name().equals(INGRESS)).findFirst()
                .flatMap(t -> ctx.ports().cluster().get(t.apiVersion(), t.kind(), t.namespace(), t.name()))
                .map(DeployStep::ingressAddress).orElse(null);
        String list = revisions.stream().map(r -> r.name() + " rev " + (r.revision() == null ? "?" : r.revision()))
                .collect(Collectors.joining(", "));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("revisions", revisions.stream().collect(Collectors.toMap(Revision::name,
                r -> r.revision() == null ? "" : r.revision(), (a, b) -> a, LinkedHashMap::new)));
        if (address != null) {
            details.put("ingressAddress", address);
        }
        String summary = revisions.size() + " Deployments rolled out (" + list + ")"
                + (address == null ? "" : "; the Ingress answers at " + address);
        ctx.event("deploy.rolled-out", summary, details);
        return StepResult.done(new Deployed(revisions, address), summary);
    }

    /** The container's last lines before its latest crash, or, when it has no previous instance, its current ones. */
    private static String lastLog(Cluster cluster, String namespace, Rollout.Problem p) {
        return cluster.podLog(namespace, p.pod(), p.container(), true, LOG_LINES)
                .or(() -> cluster.podLog(namespace, p.pod(), p.container(), false, LOG_LINES)).orElse(null);
    }

    /** {@code status.loadBalancer.ingress[0]}'s IP address, or its host name, or null. */
    static String ingressAddress(String ingressJson) {
        JsonNode first = Rollout.tree(ingressJson).path("status").path("loadBalancer").path("ingress").path(0);
        for (String field : List.of("ip", "hostname")) {
            if (first.hasNonNull(field) && !first.path(field).asText().isBlank()) {
                return first.path(field).asText();
            }
        }
        return null;
    }

    static List<Target> deployments(Plan plan) {
        return plan.manifests().values().stream().map(DeployStep::target)
                .filter(t -> t.kind().equals("Deployment")).toList();
    }

    static Target target(String manifest) {
        JsonNode o = read(manifest);
        JsonNode meta = o.path("metadata");
        return new Target(o.path("apiVersion").asText(), o.path("kind").asText(), meta.path("namespace").asText(null),
                meta.path("name").asText());
    }

    /**
     * The manifest with a Deployment's container images pinned to the digests the build pushed ({@code
     * reference@sha256:...}), so that every pod runs exactly the image that was built and verified, whatever the
     * tag points to later. Other objects, images without a recorded digest and images already pinned stay as
     * they are.
     */
    static String pinned(String manifest, Map<String, String> digests) {
        JsonNode o = read(manifest);
        if (!o.path("kind").asText().equals("Deployment") || digests.isEmpty()) {
            return manifest;
        }
        boolean changed = false;
        JsonNode pod = o.path("spec").path("template").path("spec");
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : pod.path(list)) {
                String image = c.path("image").asText("");
                String digest = digests.get(image);
                if (digest != null && !image.contains("@")) {
                    ((ObjectNode) c).put("image", image + "@" + digest);
                    changed = true;
                }
            }
        }
        if (!changed) {
            return manifest;
        }
        try {
            return Manifests.YAML.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write back a manifest just read", e);
        }
    }

    private static JsonNode read(String manifest) {
        try {
            return Manifests.YAML.readTree(manifest);
        } catch (JsonProcessingException e) {
            throw new PermanentFailure("a manifest of the plan is not YAML: " + e.getOriginalMessage(), e);
        }
    }
}
