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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Plays the kubelet for the Jobs Ferry creates in the mock API server. Copy Jobs really run here: their
 * container's command with the web-data volume a local directory and their SSH Secret written out as files.
 * Build Jobs are checked the way BuildKit would stop: the context is rebuilt from the ConfigMaps, the Dockerfile
 * must have known instructions and every COPY source present; the "pushed digest" is the context's hash. Each
 * outcome goes into the Job's status and, like a real pod's termination message, into a Pod of the Job.
 */
public final class JobDriver implements AutoCloseable {

    static final Set<String> INSTRUCTIONS = Set.of("FROM", "RUN", "COPY", "ADD", "ARG", "ENV", "CMD", "ENTRYPOINT",
            "USER", "WORKDIR", "EXPOSE", "LABEL", "VOLUME", "STOPSIGNAL", "HEALTHCHECK", "SHELL");

    private final KubernetesClient client;
    private final Path web;
    private final Path work;
    private final AtomicBoolean holdCopies = new AtomicBoolean();
    private Thread loop;
    private volatile boolean stopped;

    /**
     * @param web  where copy Jobs' web-data volume is
     * @param work scratch space (Secrets written out)
     */
    public JobDriver(KubernetesClient client, Path web, Path work) {
        this.client = client;
        this.web = web;
        this.work = work;
    }

    /** While held, copy Jobs stay running (a daemon can be stopped and started meanwhile). */
    public void holdCopies(boolean hold) {
        holdCopies.set(hold);
    }

    /** Drives Jobs in the background, every 100 ms, until closed. */
    public JobDriver start() {
        loop = new Thread(() -> {
            while (!stopped) {
                try {
                    driveOnce();
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    if (!stopped) {
                        e.printStackTrace();
                    }
                }
            }
        }, "job-driver");
        loop.setDaemon(true);
        loop.start();
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
                finish(job, problems.isEmpty(), problems.isEmpty() ? digest(context(job)) : String.join("; ", problems));
            } else if (kind.equals("copy") && !holdCopies.get()) {
                Run run = runCopy(job);
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
        Container c = job.getSpec().getTemplate().getSpec().getContainers().getFirst();
        ProcessBuilder pb = new ProcessBuilder(c.getCommand()).redirectErrorStream(true);
        c.getEnv().forEach(e -> pb.environment().put(e.getName(), e.getValue()));
        pb.environment().put("WEB", web.toString());
        pb.environment().put("SSH_DIR", ssh.toString());
        Path termination = Files.createTempFile("termination-", ".log");
        pb.environment().put("TERMINATION_LOG", termination.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the copy did not finish in 5 minutes");
        }
        String message = Files.readString(termination);
        Files.delete(termination);
        return new Run(p.exitValue(), out, message);
    }

    private Run runCopy(Job job) throws Exception {
        String ns = job.getMetadata().getNamespace();
        String secretName = job.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getSecret() != null).findFirst().orElseThrow().getSecret().getSecretName();
        Secret secret = client.secrets().inNamespace(ns).withName(secretName).get();
        if (secret == null) {
            return new Run(1, "secret " + secretName + " not found", "");
        }
        Path ssh = Files.createDirectories(work.resolve("secret-" + ns + "-" + secretName));
        for (Map.Entry<String, String> e : secret.getData().entrySet()) {
            Files.write(ssh.resolve(e.getKey()), Base64.getDecoder().decode(e.getValue()));
        }
        return runLocally(job, web, ssh);
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
        client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(name + "-pod")
                .withNamespace(ns).addToLabels("job-name", name).endMetadata().withNewStatus()
                .addNewContainerStatus().withName("main").withNewState().withNewTerminated()
                .withExitCode(ok ? 0 : 1).withMessage(message).endTerminated().endState().endContainerStatus()
                .endStatus().build()).createOr(existing -> existing.update());
        job.setStatus(ok ? new JobStatusBuilder().withSucceeded(1).build()
                : new JobStatusBuilder().withFailed(2).withConditions(new JobConditionBuilder().withType("Failed")
                        .withStatus("True").withReason("BackoffLimitExceeded").withMessage(message).build()).build());
        client.batch().v1().jobs().inNamespace(ns).resource(job).updateStatus();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        if (loop != null) {
            loop.interrupt();
            loop.join(10_000);
        }
    }
}
