package dev.ferry.daemon;

import dev.ferry.daemon.api.ApiServer;
import dev.ferry.daemon.api.ApiToken;
import dev.ferry.daemon.cluster.LazyCluster;
import dev.ferry.daemon.cluster.ManagedObjects;
import dev.ferry.daemon.config.FerryConfig;
import dev.ferry.daemon.engine.EngineListener;
import dev.ferry.daemon.engine.MigrationControl;
import dev.ferry.daemon.engine.MigrationRunner;
import dev.ferry.daemon.engine.Wakeups;
import dev.ferry.daemon.engine.QuartzScheduling;
import dev.ferry.daemon.inventory.HostInventories;
import dev.ferry.daemon.metrics.PrometheusMetrics;
import dev.ferry.daemon.ssh.SshRemoteShells;
import dev.ferry.daemon.verify.HttpProber;
import dev.ferry.daemon.webhook.WebhookDelivery;
import dev.ferry.migrations.port.Cluster;
import dev.ferry.migrations.port.Ports;
import dev.ferry.migrations.step.Itinerary;
import dev.ferry.migrations.step.Step;
import dev.ferry.state.Store;
import dev.ferry.state.workflow.Phase;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running daemon: state store, scheduler, step runner and REST API, wired together. {@link #start} brings
 * them up in dependency order and {@link #close} takes them down in reverse.
 */
public final class Ferryd implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Ferryd.class);

    private final AutoCloseable watch;
    private final Store store;
    private final QuartzScheduling scheduling;
    private final MigrationControl control;
    private final ApiServer api;
    private final WebhookDelivery webhooks;
    private final HttpProber prober;

    private Ferryd(Store store, QuartzScheduling scheduling, MigrationControl control, ApiServer api,
            WebhookDelivery webhooks, HttpProber prober, AutoCloseable watch) {
        this.watch = watch;
        this.store = store;
        this.scheduling = scheduling;
        this.control = control;
        this.api = api;
        this.webhooks = webhooks;
        this.prober = prober;
    }

    /**
     * @param steps    the step for each implemented phase; a phase without one fails its migrations clearly
     * @param listener observes the engine (metrics, tests)
     */
    public static Ferryd start(FerryConfig config, Map<Phase, Step> steps, EngineListener listener, Clock clock) {
        return start(config, steps, listener, clock, new LazyCluster(
                FerryConfig.Kubernetes.blankToNull(config.kubernetes().context())));
    }

    /** @param cluster the target cluster; {@link LazyCluster#none()} for a daemon that must never reach one */
    public static Ferryd start(FerryConfig config, Map<Phase, Step> steps, EngineListener listener, Clock clock,
                               Cluster cluster) {
        Store store = Store.open(config.databaseSettings(), clock);
        QuartzScheduling scheduling = null;
        ApiServer api = null;
        WebhookDelivery webhooks = null;
        HttpProber prober = new HttpProber();
        try {
            scheduling = QuartzScheduling.create(store, config.engine().threads(), config.engine().clustered(),
                    config.engine().instanceId());
            PrometheusMetrics metrics = new PrometheusMetrics(store);
            Ports ports = new Ports(clock, new SshRemoteShells(config.sshSettings(), pinOnFirstUse(store),
                    metrics.sshCommands()), cluster, prober);
            MigrationRunner runner = new MigrationRunner(store, Itinerary.standard(), steps, config.retryPolicy(),
                    config.limits(), ports, scheduling, EngineListener.both(metrics.engine(), listener));
            MigrationControl control = new MigrationControl(store, scheduling, config.limits());
            ApiToken token = ApiToken.configuredOrFile(config.api().token(), config.dataDir());
            QuartzScheduling timers = scheduling;
            HostInventories inventories = new HostInventories(store, ports.shells(), clock);
            api = new ApiServer(store, control, inventories, token, config.api().maxBodyBytes(), metrics,
                    () -> store.ping() && timers.isHealthy());
            scheduling.start(runner, store, Duration.ofSeconds(config.engine().reconcileSeconds()));
            webhooks = new WebhookDelivery(store, config.webhookSettings());
            webhooks.start(Duration.ofSeconds(1));
            api.start(config.api().bind(), config.api().port());
            LOG.info("ferryd listening on http://{}:{} ({} store); API token {}", config.api().bind(), api.port(),
                    store.vendor(), config.api().token() == null
                            ? "in " + config.dataDir().resolve(ApiToken.FILE_NAME) : "from the configuration");
            // A Job or Deployment that changes wakes the migration waiting on it (the steps' polls become timeouts).
            Wakeups wakeups = new Wakeups(store, scheduling);
            AutoCloseable informers = cluster instanceof ManagedObjects objects ? objects.watch(wakeups) : () -> { };
            AutoCloseable watch = () -> {
                informers.close();
                wakeups.close();
            };
            return new Ferryd(store, scheduling, control, api, webhooks, prober, watch);
        } catch (RuntimeException e) {
            if (api != null) {
                api.close();
            }
            if (webhooks != null) {
                webhooks.close();
            }
            if (scheduling != null) {
                scheduling.close();
            }
            prober.close();
            store.close();
            throw e;
        }
    }

    /** Pins the key a trust-on-first-use host showed, once, and says so in the host's events. */
    static SshRemoteShells.KeyPinning pinOnFirstUse(Store store) {
        return (host, fingerprint) -> store.useTransaction(tx -> {
            if (tx.hosts().pinHostKey(host.id(), fingerprint)) {
                tx.events().append(null, host.id(), null, "host.key-pinned", "host key of " + host.name()
                        + " pinned on first use: " + fingerprint, Map.of("fingerprint", fingerprint));
            }
        });
    }

    public int apiPort() {
        return api.port();
    }

    public Store store() {
        return store;
    }

    public MigrationControl control() {
        return control;
    }

    public ApiServer api() {
        return api;
    }

    /**
     * Stops the API, webhook deliveries, then the scheduler (running steps finish), then the prober and the store;
     * each even if another fails.
     */
    @Override
    public void close() {
        LOG.info("ferryd stopping");
        for (AutoCloseable part : new AutoCloseable[] {watch, api, webhooks, scheduling, prober, store}) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
