package dev.ferry.daemon.config;

import dev.ferry.daemon.engine.RetryPolicy;
import dev.ferry.state.DatabaseSettings;
import dev.ferry.state.Violation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * ferryd's configuration: {@code ferry.yaml}, every key overridable by an environment variable (see
 * {@link ConfigLoader}). {@link #defaults()} is what runs when nothing is configured.
 *
 * @param dataDir where the H2 database, the generated API token and other local state live
 */
public record FerryConfig(Path dataDir, Api api, Database database, Engine engine, Concurrency concurrency,
        Ssh ssh, Webhooks webhooks, Log log, Kubernetes kubernetes, Cutover cutover) {

    /**
     * @param bind         address the REST API listens on; loopback by default
     * @param token        bearer token; when empty one is generated into {@code <dataDir>/api-token}
     * @param maxBodyBytes largest request body accepted
     */
    public record Api(String bind, int port, String token, int maxBodyBytes) {
        @Override
        public String toString() {
            return "Api[bind=" + bind + ", port=" + port + ", token=" + (token == null ? "(generated)" : "***")
                    + ", maxBodyBytes=" + maxBodyBytes + "]";
        }
    }

    /** @param url JDBC URL; empty means the embedded H2 file under the data directory */
    public record Database(String url, String user, String password, int maxPool) {
        @Override
        public String toString() {
            return "Database[url=" + (url == null ? "(embedded H2)" : url) + ", user=" + user + ", password="
                    + (password == null || password.isEmpty() ? "(none)" : "***") + ", maxPool=" + maxPool + "]";
        }
    }

    /**
     * @param threads          steps that may run at once
     * @param reconcileSeconds how often timers are checked against the store
     * @param clustered        several daemons share one PostgreSQL database
     * @param instanceId       this daemon's stable name among them
     */
    public record Engine(int threads, int reconcileSeconds, boolean clustered, String instanceId, Retry retry) {
    }

    public record Retry(int initialSeconds, double multiplier, int maxSeconds, int maxAttempts) {
    }

    /**
     * @param maxRunning  migrations in progress at once (queued ones wait for a slot, first come first served)
     * @param maxCopyJobs copy Jobs at once, over all migrations
     * @param perCluster  lower limits for some clusters, by cluster name
     */
    public record Concurrency(int maxRunning, int maxCopyJobs, java.util.Map<String, Integer> perCluster) {
        public Concurrency {
            perCluster = perCluster == null ? java.util.Map.of() : java.util.Map.copyOf(perCluster);
        }
    }

    /**
     * @param connectTimeoutSeconds TCP connect and SSH handshake
     * @param commandTimeoutSeconds a remote command's default limit
     * @param maxOutputMegabytes    per output stream of one command; more is cut off (and reported)
     * @param agentSocket           ssh-agent socket for hosts using the agent; empty: $SSH_AUTH_SOCK
     */
    public record Ssh(int connectTimeoutSeconds, int commandTimeoutSeconds, int maxOutputMegabytes, String agentSocket) {
    }

    /**
     * @param initialSeconds first retry delay, multiplied by {@code multiplier} each time, up to {@code maxSeconds}
     * @param maxAttempts    attempts before a delivery is given up
     * @param timeoutSeconds connect and response time allowed to a receiver
     * @param senders        deliveries in flight at once
     */
    public record Webhooks(int initialSeconds, double multiplier, int maxSeconds, int maxAttempts, int timeoutSeconds,
            int senders) {
    }

    /** @param format {@code text} or {@code json} */
    public record Log(String format, String level) {
    }

    /**
     * The target cluster and what the plan and the Jobs need to know of it. Empty strings mean "not set".
     *
     * @param context          the kubeconfig context; empty for the current one
     * @param registry         where built images are pushed ({@code registry.example.org/ferry})
     * @param registryAuthFile a docker {@code config.json} with the registry's credentials, given to the cluster
     *                         as the {@code ferry-registry} Secret; empty when the registry needs none
     * @param nginxBaseImage   the official nginx image or a mirror's path to it
     * @param phpBaseImage     the official php image or a mirror's path to it
     * @param apkMirror        an Alpine package mirror for image builds; empty for Alpine's own
     * @param buildkitImage    the rootless BuildKit image the build Jobs run
     * @param copierImage      the image the copy Jobs run (rsync and ssh are installed at start if missing)
     * @param copyKibPerSecond rsync's bandwidth limit for copies, KiB/s; 0 for none
     * @param copyFromNode     empty: copy over SSH. Else the legacy host is this cluster node (its
     *                         {@code kubernetes.io/hostname}): the copy Job runs there and reads the site roots
     *                         through read-only hostPath volumes
     */
    public record Kubernetes(String context, String namespacePrefix, String registry, String registryAuthFile,
            String nginxBaseImage, String phpBaseImage, String apkMirror, String storageClass, String ingressClass,
            String buildkitImage, String copierImage, int copyKibPerSecond, String copyFromNode) {

        public dev.ferry.migrations.plan.ClusterSettings clusterSettings() {
            var d = dev.ferry.migrations.plan.ClusterSettings.defaults();
            return new dev.ferry.migrations.plan.ClusterSettings(namespacePrefix, registry, nginxBaseImage,
                    phpBaseImage, blankToNull(apkMirror), null, storageClass, ingressClass, d.uid(), d.gid());
        }

        public dev.ferry.migrations.copy.CopySettings copySettings() {
            return new dev.ferry.migrations.copy.CopySettings(copierImage, copyKibPerSecond,
                    copyFromNode == null ? "" : copyFromNode.strip());
        }

        public static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }
    }

    /**
     * How sites are checked in the cluster and how traffic moves to it.
     *
     * @param ingressAddress    where the cluster serves the sites: the ingress controller's or a load balancer's
     *                          address; verification probes it and the legacy edge proxies to it. Empty: not set
     *                          (verify and cutover then fail with a message saying so)
     * @param httpPort          its plain HTTP port
     * @param httpsPort         its HTTPS port (sites served over TLS are proxied over TLS, with SNI)
     * @param maintenance       the legacy sites answer 503 with Retry-After while the final delta copy runs
     * @param retryAfterSeconds the Retry-After of those answers
     */
    public record Cutover(String ingressAddress, int httpPort, int httpsPort, boolean maintenance,
            int retryAfterSeconds) {

        public dev.ferry.migrations.cutover.CutoverSettings settings() {
            return new dev.ferry.migrations.cutover.CutoverSettings(new dev.ferry.migrations.verify.Ingress(
                    Kubernetes.blankToNull(ingressAddress), httpPort, httpsPort), maintenance, retryAfterSeconds);
        }
    }

    public static FerryConfig defaults() {
        return new FerryConfig(Path.of("data"),
                new Api("127.0.0.1", 8080, null, 256 * 1024),
                new Database(null, null, null, 10),
                new Engine(8, 30, false, "ferryd", new Retry(10, 2.0, 600, 6)),
                new Concurrency(10, 3, java.util.Map.of()),
                new Ssh(15, 300, 32, null),
                new Webhooks(5, 2.0, 900, 10, 10, 4),
                new Log("text", "INFO"),
                new Kubernetes("", "ferry-", "registry.local/ferry", "", "nginx", "php", "", "longhorn", "nginx",
                        "moby/buildkit:v0.16.0-rootless", "alpine:3.20", 0, ""),
                new Cutover("", 80, 443, false, 120));
    }

    public DatabaseSettings databaseSettings() {
        if (database.url() == null || database.url().isBlank()) {
            DatabaseSettings h2 = DatabaseSettings.h2In(dataDir);
            return new DatabaseSettings(h2.url(), h2.user(), h2.password(), database.maxPool());
        }
        return new DatabaseSettings(database.url(), database.user() == null ? "" : database.user(),
                database.password() == null ? "" : database.password(), database.maxPool());
    }

    public RetryPolicy retryPolicy() {
        Retry r = engine.retry();
        return new RetryPolicy(Duration.ofSeconds(r.initialSeconds()), r.multiplier(),
                Duration.ofSeconds(r.maxSeconds()), r.maxAttempts());
    }

    public dev.ferry.daemon.engine.Limits limits() {
        return new dev.ferry.daemon.engine.Limits(concurrency.maxRunning(), concurrency.perCluster(),
                concurrency.maxCopyJobs());
    }

    public dev.ferry.daemon.ssh.SshSettings sshSettings() {
        return new dev.ferry.daemon.ssh.SshSettings(Duration.ofSeconds(ssh.connectTimeoutSeconds()),
                Duration.ofSeconds(ssh.commandTimeoutSeconds()), ssh.maxOutputMegabytes() * 1024 * 1024,
                ssh.agentSocket() == null || ssh.agentSocket().isBlank() ? System.getenv("SSH_AUTH_SOCK")
                        : ssh.agentSocket());
    }

    public dev.ferry.daemon.webhook.WebhookSettings webhookSettings() {
        return new dev.ferry.daemon.webhook.WebhookSettings(Duration.ofSeconds(webhooks.initialSeconds()),
                webhooks.multiplier(), Duration.ofSeconds(webhooks.maxSeconds()), webhooks.maxAttempts(),
                Duration.ofSeconds(webhooks.timeoutSeconds()), webhooks.senders());
    }

    /** Everything wrong with the configuration, by key. */
    public List<Violation> violations() {
        List<Violation> out = new ArrayList<>();
        if (api.port() < 0 || api.port() > 65535) {
            out.add(new Violation("api.port", "must be from 1 to 65535 (0: any free port)"));
        }
        if (api.bind() == null || api.bind().isBlank()) {
            out.add(new Violation("api.bind", "is required (127.0.0.1 keeps the API local)"));
        }
        if (api.token() != null && api.token().length() < 16) {
            out.add(new Violation("api.token", "must be at least 16 characters"));
        }
        if (api.maxBodyBytes() < 1024) {
            out.add(new Violation("api.maxBodyBytes", "must be at least 1024"));
        }
        if (database.url() != null && !database.url().isBlank() && !database.url().startsWith("jdbc:h2:")
                && !database.url().startsWith("jdbc:postgresql:")) {
            out.add(new Violation("database.url", "must be a jdbc:h2: or jdbc:postgresql: URL"));
        }
        if (database.maxPool() < 2) {
            out.add(new Violation("database.maxPool", "must be at least 2"));
        }
        if (engine.threads() < 1) {
            out.add(new Violation("engine.threads", "must be at least 1"));
        }
        if (engine.reconcileSeconds() < 1) {
            out.add(new Violation("engine.reconcileSeconds", "must be at least 1"));
        }
        if (engine.clustered() && (database.url() == null || !database.url().startsWith("jdbc:postgresql:"))) {
            out.add(new Violation("engine.clustered", "needs a PostgreSQL database.url"));
        }
        if (engine.instanceId() == null || !engine.instanceId().matches("[A-Za-z0-9._-]{1,100}")) {
            out.add(new Violation("engine.instanceId", "must be 1-100 letters, digits, '.', '_' or '-'"));
        }
        Retry r = engine.retry();
        if (r.initialSeconds() < 1 || r.multiplier() < 1 || r.maxSeconds() < r.initialSeconds()
                || r.maxAttempts() < 1) {
            out.add(new Violation("engine.retry", "needs initialSeconds >= 1, multiplier >= 1, "
                    + "maxSeconds >= initialSeconds and maxAttempts >= 1"));
        }
        if (concurrency.maxRunning() < 1 || concurrency.maxCopyJobs() < 1
                || concurrency.perCluster().values().stream().anyMatch(v -> v == null || v < 1)) {
            out.add(new Violation("concurrency", "limits must be at least 1"));
        }
        if (ssh.connectTimeoutSeconds() < 1 || ssh.commandTimeoutSeconds() < 1 || ssh.maxOutputMegabytes() < 1
                || ssh.maxOutputMegabytes() > 1024) {
            out.add(new Violation("ssh", "timeouts must be at least 1 s and maxOutputMegabytes 1-1024"));
        }
        if (webhooks.initialSeconds() < 1 || webhooks.multiplier() < 1 || webhooks.maxSeconds() < webhooks.initialSeconds()
                || webhooks.maxAttempts() < 1 || webhooks.timeoutSeconds() < 1 || webhooks.senders() < 1) {
            out.add(new Violation("webhooks", "needs initialSeconds >= 1, multiplier >= 1, maxSeconds >= initialSeconds, "
                    + "maxAttempts, timeoutSeconds and senders >= 1"));
        }
        Kubernetes k = kubernetes;
        if (k.registry() == null || !k.registry().matches("[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)*")) {
            out.add(new Violation("kubernetes.registry", "must be a registry host with an optional path, lower case"));
        }
        if (k.namespacePrefix() == null || !k.namespacePrefix().matches("[a-z0-9-]{0,30}")) {
            out.add(new Violation("kubernetes.namespacePrefix", "must be up to 30 of a-z, 0-9 and '-'"));
        }
        for (String image : new String[] {k.nginxBaseImage(), k.phpBaseImage(), k.buildkitImage(), k.copierImage()}) {
            if (image == null || !image.matches("[a-z0-9./:@_-]+")) {
                out.add(new Violation("kubernetes", "image references must be plain: " + image));
            }
        }
        if (k.copyKibPerSecond() < 0) {
            out.add(new Violation("kubernetes.copyKibPerSecond", "must be 0 (no limit) or more"));
        }
        // A label value: it goes into the copy Job's nodeSelector.
        if (k.copyFromNode() != null && !k.copyFromNode().isBlank()
                && !k.copyFromNode().strip().matches("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?")) {
            out.add(new Violation("kubernetes.copyFromNode", "must be empty (copy over SSH) or a node's "
                    + "kubernetes.io/hostname label: up to 63 of letters, digits, '.', '_' and '-'"));
        }
        if (!Set.of("text", "json").contains(log.format())) {
            out.add(new Violation("log.format", "must be text or json"));
        }
        if (!Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(String.valueOf(log.level()).toUpperCase())) {
            out.add(new Violation("log.level", "must be one of TRACE, DEBUG, INFO, WARN, ERROR"));
        }
        return out;
    }
}
