package dev.ferry.daemon.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Plays the kubelet for the Jobs Ferry creates in the mock API server. Copy Jobs really run here: their
 * container's command with the web-data volume a local directory and their SSH Secret written out as files, or,
 * pinned to a {@link #node node}, with their hostPath volumes in that node's directory. While a copy runs its
 * Job is active, its pod running, and (with a {@link MockCluster}) what the script has written so far is the
 * pod's log.
 * Build Jobs are checked the way BuildKit would stop: the context is rebuilt from the ConfigMaps, the Dockerfile
 * must have known instructions and every COPY source present; the "pushed digest" is the context's hash. Each
 * outcome goes into the Job's status and, like a real pod's termination message, into a Pod of the Job.
 */
public final class JobDriver implements AutoCloseable {

    static final String HOSTNAME = "kubernetes.io/hostname";
    static final Set<String> INSTRUCTIONS = Set.of("FROM", "RUN", "COPY", "ADD", "ARG", "ENV", "CMD", "ENTRYPOINT",
            "USER", "WORKDIR", "EXPOSE", "LABEL", "VOLUME", "STOPSIGNAL", "HEALTHCHECK", "SHELL");

    private final KubernetesClient client;
    private final PodLogs logs;
    private final Path web;
    private final Path work;
    private final AtomicBoolean holdCopies = new AtomicBoolean();
    private final Map<String, Path> nodes = new ConcurrentHashMap<>();
    private DriverLoop loop;

    /** Where a pod's log goes: the whole of what its container wrote so far, each time it wrote more. */
    @FunctionalInterface
    public interface PodLogs {
        void write(String namespace, String pod, String container, String log);
    }

    /**
     * A driver whose copy pods' logs are served by the mock API server as they are written.
     *
     * @param web  where copy Jobs' web-data volume is
     * @param work scratch space (Secrets written out)
     */
    public JobDriver(MockCluster mock, Path web, Path work) {
        this(mock.client(), (ns, pod, container, log) -> mock.podLog(ns, pod, container, false, log), web, work);
    }

    /** A driver whose pods have no logs. */
    public JobDriver(KubernetesClient client, Path web, Path work) {
        this(client, (ns, pod, container, log) -> { }, web, work);
    }

    private JobDriver(KubernetesClient client, PodLogs logs, Path web, Path work) {
        this.client = client;
        this.logs = logs;
        this.web = web;
        this.work = work;
    }

    /**
     * A node of the "cluster" whose file system is {@code root} here: copy Jobs pinned to it run with their
     * hostPath volumes under that directory. Jobs pinned to an unknown node stay pending, as unschedulable.
     */
    public JobDriver node(String name, Path root) {
        nodes.put(name, root);
        return this;
    }

    /** While held, copy Jobs stay running (a daemon can be stopped and started meanwhile). */
    public void holdCopies(boolean hold) {
        holdCopies.set(hold);
    }

    /** Drives Jobs in the background, every 100 ms, until closed. */
    public JobDriver start() {
        loop = new DriverLoop("job-driver", this::driveOnce);
        return this;
    }

    /** Gives every Job without an outcome its outcome (copies wait while held). */
    public synchronized void driveOnce() throws Exception {
        for (Job job : client.batch().v1().jobs().inAnyNamespace().list().getItems()) {
            if (job.getStatus() != null && (job.getStatus().getSucceeded() != null
                    || job.getStatus().getFailed() != null)) {
                continue;
            }
            String kind = job.getMetadata().getLabels().getOrDefault("app.kubernetes.io/name", "");
            if (kind.equals("build")) {
                List<String> problems = buildProblems(context(job));
                if (!problems.isEmpty()) {
                    // What BuildKit prints before it stops: the error is its last line.
                    logs.write(job.getMetadata().getNamespace(), job.getMetadata().getName() + "-pod", "build",
                            "#1 [internal] load build definition from Dockerfile\n#1 DONE 0.0s\n"
                            + "error: failed to solve: " + String.join("; ", problems) + "\n");
                }
                finish(job, problems.isEmpty(), problems.isEmpty() ? digest(context(job)) : String.join("; ", problems));
            } else if (kind.equals("copy") && !holdCopies.get() && schedulable(job)) {
                Run run = runCopy(job);
                if (run.exit() != 0) {
                    // The test's output is where a failed copy's reason can be read.
                    System.err.println("copy Job " + job.getMetadata().getName() + " failed:\n" + run.output());
                }
                finish(job, run.exit() == 0, run.exit() == 0 ? run.terminationMessage()
                        : "rsync exited with " + run.exit());
            }
        }
    }

    /** How a Job's container ran here. */
    public record Run(int exit, String output, String terminationMessage) {
        public long stat(String name) {
            return output.lines().filter(l -> l.startsWith(name + ": ")).mapToLong(l -> Long.parseLong(
                    l.substring(name.length() + 2).split(" ")[0].replace(",", ""))).sum();
        }
    }

    /** Runs a Job's container command here, with its volumes at these directories. */
    public static Run runLocally(Job job, Path web, Path ssh) throws Exception {
        return runLocally(job, web, ssh, null, out -> { });
    }

    /**
     * Runs a Job's container command here: web-data at {@code web}, the SSH Secret's files at {@code ssh} (null
     * without one), a node's hostPath volumes under {@code nodeRoot} (null without any). {@code output} sees all
     * the container wrote (stdout and stderr, as a pod's log has both) each time it wrote more.
     */
    public static Run runLocally(Job job, Path web, Path ssh, Path nodeRoot, Consumer<String> output)
            throws Exception {
        var spec = job.getSpec().getTemplate().getSpec();
        Container c = spec.getContainers().getFirst();
        ProcessBuilder pb = new ProcessBuilder(c.getCommand()).redirectErrorStream(true);
        c.getEnv().forEach(e -> pb.environment().put(e.getName(), e.getValue()));
        pb.environment().put("WEB", web.toString());
        if (ssh != null) {
            pb.environment().put("SSH_DIR", ssh.toString());
        }
        if (nodeRoot != null) {
            pb.environment().put("LEGACY", legacyMounts(spec, c, nodeRoot).toString());
        }
        Path termination = Files.createTempFile("termination-", ".log");
        pb.environment().put("TERMINATION_LOG", termination.toString());
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        try (Reader r = new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)) {
            char[] buffer = new char[8192];
            for (int n; (n = r.read(buffer)) > 0; ) {
                out.append(buffer, 0, n);
                output.accept(out.toString());
            }
        }
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the copy did not finish in 5 minutes");
        }
        String message = Files.readString(termination);
        Files.delete(termination);
        return new Run(p.exitValue(), out.toString(), message);
    }

    /**
     * Where the script finds the node's directories: the node's root here, once each hostPath volume is checked
     * to be mounted read-only at {@code $LEGACY} followed by its own path (so that {@code $LEGACY/<path>} is the
     * same directory in the pod and here).
     */
    static Path legacyMounts(io.fabric8.kubernetes.api.model.PodSpec spec, Container c, Path nodeRoot) {
        String legacy = c.getEnv().stream().filter(e -> e.getName().equals("LEGACY")).findFirst().orElseThrow()
                .getValue();
        for (Volume v : spec.getVolumes()) {
            if (v.getHostPath() == null) {
                continue;
            }
            var mount = c.getVolumeMounts().stream().filter(m -> m.getName().equals(v.getName())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("hostPath volume " + v.getName() + " not mounted"));
            if (!mount.getMountPath().equals(legacy + v.getHostPath().getPath()) || !Boolean.TRUE.equals(mount.getReadOnly())
                    || !"Directory".equals(v.getHostPath().getType())) {
                throw new IllegalStateException("hostPath volume " + v.getName() + " is not a read-only directory at "
                        + legacy + v.getHostPath().getPath() + ": " + mount);
            }
            if (!Files.isDirectory(nodeRoot.resolve(v.getHostPath().getPath().substring(1)))) {
                // The kubelet would not start the pod: the type says the directory must exist.
                throw new IllegalStateException("no directory " + v.getHostPath().getPath() + " on the node");
            }
        }
        return nodeRoot;
    }

    /** A copy Job pinned to a node runs only on a node this driver has; others run anywhere. */
    private boolean schedulable(Job job) {
        Map<String, String> selector = job.getSpec().getTemplate().getSpec().getNodeSelector();
        return selector == null || selector.isEmpty()
                || selector.containsKey(HOSTNAME) && nodes.containsKey(selector.get(HOSTNAME));
    }

    private Run runCopy(Job job) throws Exception {
        String ns = job.getMetadata().getNamespace();
        var spec = job.getSpec().getTemplate().getSpec();
        Path ssh = null;
        var secretVolume = spec.getVolumes().stream().filter(v -> v.getSecret() != null).findFirst();
        if (secretVolume.isPresent()) {
            String secretName = secretVolume.get().getSecret().getSecretName();
            Secret secret = client.secrets().inNamespace(ns).withName(secretName).get();
            if (secret == null) {
                return new Run(1, "secret " + secretName + " not found", "");
            }
            ssh = Files.createDirectories(work.resolve("secret-" + ns + "-" + secretName));
            for (Map.Entry<String, String> e : secret.getData().entrySet()) {
                Files.write(ssh.resolve(e.getKey()), Base64.getDecoder().decode(e.getValue()));
            }
        }
        String node = spec.getNodeSelector() == null ? null : spec.getNodeSelector().get(HOSTNAME);
        Path nodeRoot = node == null ? null : nodes.get(node);
        boolean hostPaths = spec.getVolumes().stream().anyMatch(v -> v.getHostPath() != null);
        if (hostPaths && nodeRoot == null) {
            return new Run(1, "hostPath volumes on a pod not pinned to a node this driver has", "");
        }
        // Running, as the kubelet shows it: an active Job, a running pod whose log grows as the script writes.
        String pod = job.getMetadata().getName() + "-pod";
        String container = spec.getContainers().getFirst().getName();
        client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(pod).withNamespace(ns)
                .addToLabels("job-name", job.getMetadata().getName()).endMetadata().withNewStatus()
                .withPhase("Running").addNewContainerStatus().withName(container).withNewState().withNewRunning()
                .endRunning().endState().endContainerStatus().endStatus().build()).createOr(existing -> existing.update());
        job.setStatus(new JobStatusBuilder().withActive(1).build());
        client.batch().v1().jobs().inNamespace(ns).resource(job).updateStatus();
        return runLocally(job, web, ssh, hostPaths ? nodeRoot : null, log -> logs.write(ns, pod, container, log));
    }

    /** The files a build Job's container would see: each ConfigMap key projected to its path. */
    public Map<String, String> context(Job job) {
        Map<String, String> files = new TreeMap<>();
        for (Volume v : job.getSpec().getTemplate().getSpec().getVolumes()) {
            if (v.getConfigMap() == null) {
                continue;
            }
            ConfigMap cm = client.configMaps().inNamespace(job.getMetadata().getNamespace())
                    .withName(v.getConfigMap().getName()).get();
            for (KeyToPath item : v.getConfigMap().getItems()) {
                files.put(item.getPath(), cm.getData().get(item.getKey()));
            }
        }
        return files;
    }

    /** What a builder would stop at; empty when the context builds. */
    public static List<String> buildProblems(Map<String, String> files) {
        String dockerfile = files.get("Dockerfile");
        if (dockerfile == null) {
            return List.of("no Dockerfile");
        }
        List<String> problems = new ArrayList<>();
        for (String line : dockerfile.replaceAll("\\\\\\n", " ").split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] words = l.split("\\s+");
            if (!INSTRUCTIONS.contains(words[0])) {
                problems.add("unknown instruction " + words[0]);
            }
            if (words[0].equals("COPY") && !l.contains("--from=")) {
                for (int i = 1; i < words.length - 1; i++) {
                    String src = words[i].replaceAll("/$", "");
                    if (!src.startsWith("--") && files.keySet().stream()
                            .noneMatch(f -> f.equals(src) || f.startsWith(src + "/"))) {
                        problems.add("COPY source " + src + " is not in the context");
                    }
                }
            }
        }
        return problems;
    }

    private static String digest(Map<String, String> files) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        files.forEach((k, v) -> {
            sha.update(k.getBytes(StandardCharsets.UTF_8));
            sha.update(v.getBytes(StandardCharsets.UTF_8));
        });
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    private void finish(Job job, boolean ok, String message) {
        String ns = job.getMetadata().getNamespace();
        String name = job.getMetadata().getName();
        // The Job as it is now: a copy's status changed while it ran.
        job = client.batch().v1().jobs().inNamespace(ns).withName(name).get();
        client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(name + "-pod")
                .withNamespace(ns).addToLabels("job-name", name).endMetadata().withNewStatus()
                .withPhase(ok ? "Succeeded" : "Failed").addNewContainerStatus()
                .withName(job.getSpec().getTemplate().getSpec().getContainers().getFirst().getName())
                .withNewState().withNewTerminated()
                .withExitCode(ok ? 0 : 1).withMessage(message).endTerminated().endState().endContainerStatus()
                .endStatus().build()).createOr(existing -> existing.update());
        job.setStatus(ok ? new JobStatusBuilder().withSucceeded(1).build()
                : new JobStatusBuilder().withFailed(2).withConditions(new JobConditionBuilder().withType("Failed")
                        .withStatus("True").withReason("BackoffLimitExceeded").withMessage(message).build()).build());
        client.batch().v1().jobs().inNamespace(ns).resource(job).updateStatus();
    }

    @Override
    public void close() throws InterruptedException {
        if (loop != null) {
            loop.close();
        }
    }
}
