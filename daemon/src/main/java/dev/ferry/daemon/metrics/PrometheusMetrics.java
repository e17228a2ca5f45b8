package dev.ferry.daemon.metrics;

import dev.ferry.daemon.engine.EngineListener;
import dev.ferry.daemon.ssh.CommandTimer;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.state.Store;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Ferry's meters in a Micrometer registry, exposed in the Prometheus text format. The migrations gauge is read
 * from the store when scraped, so it is right even with several daemons on one database.
 */
public final class PrometheusMetrics implements Metrics {

    /** The Content-Type of {@link #scrape()}. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Store store;
    private final MultiGauge migrations;
    private final Counter copied;

    public PrometheusMetrics(Store store) {
        this.store = store;
        this.migrations = MultiGauge.builder("ferry.migrations")
                .description("Migrations by phase and status").register(registry);
        this.copied = Counter.builder("ferry.copy.bytes").description("Bytes copied into the cluster")
                .baseUnit("bytes").register(registry);
    }

    @Override
    public EngineListener engine() {
        return new EngineListener() {
            @Override
            public void stepFinished(Migration m, StepResult result, Duration took) {
                String outcome = switch (result) {
                    case StepResult.Done d -> "done";
                    case StepResult.Wait w -> "wait";
                    case StepResult.Retry r -> "retry";
                    case StepResult.Fail f -> "fail";
                };
                Timer.builder("ferry.step.duration").description("How long steps ran, by phase and outcome")
                        .tags("phase", m.phase().id(), "outcome", outcome).register(registry).record(took);
                if (result instanceof StepResult.Retry) {
                    Counter.builder("ferry.step.retries").description("Steps that failed and will be retried")
                            .tags("phase", m.phase().id()).register(registry).increment();
                }
            }
        };
    }

    @Override
    public CommandTimer sshCommands() {
        return (command, took, ok) -> Timer.builder("ferry.ssh.command.duration")
                .description("Remote command latency").tags("command", command, "ok", Boolean.toString(ok))
                .register(registry).record(took);
    }

    @Override
    public void kubernetesCall(String verb, Duration took, boolean ok) {
        Timer.builder("ferry.kubernetes.call.duration").description("Kubernetes API call latency")
                .tags("verb", verb, "ok", Boolean.toString(ok)).register(registry).record(took);
    }

    @Override
    public void copiedBytes(long bytes) {
        copied.increment(bytes);
    }

    /** The Prometheus text exposition, with the migrations gauge read from the store now. */
    public String scrape() {
        List<Migration> all = store.inTransaction(tx -> tx.migrations().all());
        Map<List<String>, Long> counts = new TreeMap<>((a, b) -> (a.get(0) + a.get(1)).compareTo(b.get(0) + b.get(1)));
        for (Phase p : Phase.values()) {
            for (MigrationStatus s : MigrationStatus.values()) {
                counts.put(List.of(p.id(), s.id()), 0L);
            }
        }
        counts.putAll(all.stream().collect(Collectors.groupingBy(m -> List.of(m.phase().id(), m.status().id()),
                Collectors.counting())));
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        counts.forEach((key, n) -> rows.add(MultiGauge.Row.of(Tags.of("phase", key.get(0), "status", key.get(1)), n)));
        migrations.register(rows, true);
        return registry.scrape();
    }
}
