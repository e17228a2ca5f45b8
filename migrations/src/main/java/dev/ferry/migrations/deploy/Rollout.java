package dev.ferry.migrations.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a Deployment's rollout stands, read from the Deployment and its pods as the API server returns them (JSON).
 * Pure: the deploy step fetches, this decides.
 *
 * @param generation         {@code metadata.generation}: which version of the spec the controller must see
 * @param observedGeneration the version the controller has acted on
 * @param desired            {@code spec.replicas} (1 when unset, as the API server defaults it)
 * @param replicas           pods of every ReplicaSet of the Deployment: more than desired means old pods remain
 * @param revision           the controller's {@code deployment.kubernetes.io/revision}, null before it set one
 * @param images             the pod template's container images
 * @param selector           {@code spec.selector.matchLabels}: finds the Deployment's pods
 * @param deadline           the Progressing condition's message when its reason is ProgressDeadlineExceeded, else null
 */
public record Rollout(String namespace, String name, long generation, long observedGeneration, int desired,
                      int replicas, int updated, int available, String revision, List<String> images,
                      Map<String, String> selector, String deadline) {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String REVISION = "deployment.kubernetes.io/revision";

    public Rollout {
        images = List.copyOf(images);
        selector = Map.copyOf(selector);
    }

    /** Why a rollout does not come to an end by itself, as a kubelet, scheduler or controller reports it. */
    public enum Reason {
        IMAGE_PULL, CRASH_LOOP, CONFIG_ERROR, UNSCHEDULABLE, PROGRESS_DEADLINE
    }

    /**
     * One problem of a Deployment's rollout.
     *
     * @param pod       null for the Deployment's own problem (its progress deadline)
     * @param container null for a pod's or the Deployment's problem
     * @param status    the Kubernetes reason as reported ({@code ImagePullBackOff}, {@code Unschedulable})
     * @param detail    what the reporter said (the kubelet's or scheduler's message), maybe null
     * @param image     the container's image, for pull failures
     * @param log       the container's last log lines, added by the step for a crash loop
     */
    public record Problem(String deployment, String pod, String container, Reason reason, String status,
                          String detail, String image, String log) {

        /**
         * Identifies the problem across polls: the same reason of the same container, whatever the pod (pods
         * come and go) and the message (a back-off message counts up).
         */
        public String key() {
            return deployment + "/" + (container == null ? "" : container) + "/" + status;
        }

        /** Immediate problems fail the attempt at once; others get the pods one more poll to recover. */
        public boolean immediate() {
            return reason == Reason.PROGRESS_DEADLINE;
        }

        public Problem withLog(String lines) {
            return new Problem(deployment, pod, container, reason, status, detail, image, lines);
        }

        public String message() {
            String where = "Deployment " + deployment + (pod == null ? "" : ", pod " + pod)
                    + (container == null ? "" : ", container " + container);
            String said = detail == null || detail.isBlank() ? "" : ": " + detail.strip();
            return switch (reason) {
                case IMAGE_PULL -> where + ": cannot pull image " + image + " (" + status + ")" + said;
                case CRASH_LOOP -> where + ": keeps crashing (" + status + ")" + said
                        + (log == null || log.isBlank() ? "; it left no log" : "; its last log lines:\n" + log.strip());
                case CONFIG_ERROR -> where + ": cannot create the container (" + status + ")" + said;
                case UNSCHEDULABLE -> where + ": cannot be scheduled (" + status + ")" + said;
                case PROGRESS_DEADLINE -> where + ": did not progress in time (" + status + ")" + said;
            };
        }
    }

    /** Where a rollout stands. */
    public sealed interface Outcome {
    }

    /** Every replica runs the current spec and no old pod is left. */
    public record RolledOut(Rollout rollout) implements Outcome {
    }

    /** Still on its way, as far as anyone can tell. */
    public record InProgress(String why) implements Outcome {
    }

    /** On its way, but something keeps it from finishing; the first problem of each kind and container. */
    public record Stuck(List<Problem> problems) implements Outcome {
        public Stuck {
            problems = List.copyOf(problems);
        }
    }

    /** Reads a Deployment as the API server returns it. */
    public static Rollout of(String deploymentJson) {
        JsonNode d = tree(deploymentJson);
        JsonNode meta = d.path("metadata");
        JsonNode spec = d.path("spec");
        JsonNode status = d.path("status");
        List<String> images = new ArrayList<>();
        spec.path("template").path("spec").path("containers").forEach(c -> images.add(c.path("image").asText()));
        Map<String, String> selector = new LinkedHashMap<>();
        spec.path("selector").path("matchLabels").properties().forEach(e -> selector.put(e.getKey(),
                e.getValue().asText()));
        String deadline = null;
        for (JsonNode c : status.path("conditions")) {
            if (c.path("type").asText().equals("Progressing")
                    && c.path("reason").asText().equals("ProgressDeadlineExceeded")) {
                deadline = c.path("message").asText("");
            }
        }
        JsonNode revision = meta.path("annotations").path(REVISION);
        return new Rollout(meta.path("namespace").asText(), meta.path("name").asText(),
                meta.path("generation").asLong(0), status.path("observedGeneration").asLong(0),
                spec.path("replicas").asInt(1), status.path("replicas").asInt(0),
                status.path("updatedReplicas").asInt(0), status.path("availableReplicas").asInt(0),
                revision.isTextual() ? revision.asText() : null, images, selector, deadline);
    }

    /**
     * Rolled out: the controller has seen the current spec, every desired replica is updated and available, and
     * no pod of an older ReplicaSet is left (a rollout that only adds pods would otherwise count as done early).
     */
    public boolean complete() {
        return observedGeneration >= generation && updated == desired && available == desired && replicas == desired;
    }

    /** Decides, from the Deployment and the pods its selector finds (JSON; not needed when complete). */
    public Outcome outcome(List<String> podJsons) {
        if (complete()) {
            return new RolledOut(this);
        }
        List<Problem> problems = new ArrayList<>();
        if (deadline != null) {
            problems.add(new Problem(name, null, null, Reason.PROGRESS_DEADLINE, "ProgressDeadlineExceeded",
                    deadline, null, null));
        }
        for (String json : podJsons) {
            for (Problem p : podProblems(name, tree(json))) {
                if (problems.stream().noneMatch(q -> q.key().equals(p.key()))) {
                    problems.add(p);
                }
            }
        }
        if (!problems.isEmpty()) {
            return new Stuck(problems);
        }
        if (observedGeneration < generation) {
            return new InProgress("the controller has not yet seen generation " + generation + " of " + name);
        }
        return new InProgress(name + ": " + updated + " of " + desired + " replicas updated, " + available
                + " available" + (replicas > desired ? ", " + (replicas - desired) + " old pods left" : ""));
    }

    static List<Problem> podProblems(String deployment, JsonNode pod) {
        String name = pod.path("metadata").path("name").asText();
        List<Problem> problems = new ArrayList<>();
        for (JsonNode c : pod.path("status").path("conditions")) {
            if (c.path("type").asText().equals("PodScheduled") && c.path("status").asText().equals("False")
                    && c.path("reason").asText().equals("Unschedulable")) {
                problems.add(new Problem(deployment, name, null, Reason.UNSCHEDULABLE, "Unschedulable",
                        text(c, "message"), null, null));
            }
        }
        List<JsonNode> statuses = new ArrayList<>();
        pod.path("status").path("initContainerStatuses").forEach(statuses::add);
        pod.path("status").path("containerStatuses").forEach(statuses::add);
        for (JsonNode s : statuses) {
            JsonNode waiting = s.path("state").path("waiting");
            String status = waiting.path("reason").asText("");
            Reason reason = switch (status) {
                case "ImagePullBackOff", "ErrImagePull" -> Reason.IMAGE_PULL;
                case "CrashLoopBackOff" -> Reason.CRASH_LOOP;
                case "CreateContainerConfigError" -> Reason.CONFIG_ERROR;
                default -> null;
            };
            if (reason != null) {
                String container = s.path("name").asText();
                problems.add(new Problem(deployment, name, container, reason, status, text(waiting, "message"),
                        reason == Reason.IMAGE_PULL ? image(pod, container, s) : null, null));
            }
        }
        return problems;
    }

    /** The image as the pod spec names it: the status may show a resolved or normalised name. */
    private static String image(JsonNode pod, String container, JsonNode status) {
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode c : pod.path("spec").path(list)) {
                if (c.path("name").asText().equals(container) && c.hasNonNull("image")) {
                    return c.path("image").asText();
                }
            }
        }
        return status.path("image").asText("(unknown)");
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.path(field).asText() : null;
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON from the API server: " + e.getOriginalMessage(), e);
        }
    }
}
