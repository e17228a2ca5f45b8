package dev.ferry.migrations.port;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The target Kubernetes cluster as steps see it. Objects travel as the YAML or JSON the plan renders, so steps
 * never touch a Kubernetes client. Failures are thrown classified: {@link TransientFailure} for what another
 * attempt may fix (the API server unreachable, throttling, conflicts), {@link PermanentFailure} for refusals
 * (invalid objects, missing rights).
 */
public interface Cluster {

    /**
     * Server-side applies the objects, in order, as Ferry's field manager: creates what is missing, changes what
     * differs, leaves fields other managers own alone. Safe to repeat.
     *
     * @return each object as {@code Kind namespace/name}, in order
     */
    List<String> apply(List<String> manifests);

    /** The object as the API server returns it (JSON), if it exists. */
    Optional<String> get(String apiVersion, String kind, String namespace, String name);

    /**
     * The objects of a kind in a namespace whose labels include all of {@code labels} (JSON each), in the API
     * server's order.
     */
    List<String> list(String apiVersion, String kind, String namespace, Map<String, String> labels);

    /**
     * The last {@code tailLines} lines a pod's container wrote, or of its previous instance (a container in
     * CrashLoopBackOff has its useful lines there); empty when there is no such pod, container or log.
     */
    Optional<String> podLog(String namespace, String pod, String container, boolean previous, int tailLines);

    /** How a Job stands, if it exists. */
    Optional<JobStatus> job(String namespace, String name);

    /**
     * What the Job's finished pod left as its termination message (a build's pushed digest), if a pod of it has
     * terminated with one.
     */
    Optional<String> jobResult(String namespace, String name);

    /**
     * @param active    pods running now
     * @param succeeded pods that completed
     * @param failed    pods that failed
     * @param message   why the Job failed (its Failed condition), or null
     */
    record JobStatus(int active, int succeeded, int failed, String message) {

        public boolean complete() {
            return succeeded > 0;
        }

        /** Failed for good: Kubernetes gave up retrying its pods. */
        public boolean failedForGood() {
            return message != null;
        }
    }
}
