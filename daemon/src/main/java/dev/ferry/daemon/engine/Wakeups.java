package dev.ferry.daemon.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.state.Store;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the migrations waiting on a namespace whose Jobs or Deployments just changed: they are due now instead of
 * at their next poll, so a finished copy or a rolled-out Deployment moves the migration on at once. Only a
 * migration waiting on its own step is woken (not one held for a slot, a window or an approval). A change that
 * comes while the step that started the object is still running (a fast Job) is tried again shortly, once the
 * step has said it waits.
 */
public final class Wakeups implements Consumer<String>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Wakeups.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final MigrationScheduler scheduler;
    private static final int ATTEMPTS = 20;
    private static final long RETRY_MILLIS = 250;

    private final java.util.concurrent.ScheduledExecutorService later =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ferry-wakeups");
                t.setDaemon(true);
                return t;
            });
    /** Each migration's namespace, from its plan; a plan never changes once made. */
    private final Map<Long, String> namespaces = new ConcurrentHashMap<>();

    public Wakeups(Store store, MigrationScheduler scheduler) {
        this.store = store;
        this.scheduler = scheduler;
    }

    @Override
    public void accept(String namespace) {
        if (namespace == null) {
            return;
        }
        try {
            List<Migration> running = store.inTransaction(tx -> tx.migrations().active()).stream()
                    .filter(m -> Lifecycle.holdsSlot(m.status()) && m.holdReason() == null).toList();
            for (Migration m : running) {
                if (namespace.equals(namespaceOf(m.id()))) {
                    wake(m.id(), m.phase(), ATTEMPTS);
                }
            }
        } catch (RuntimeException e) {
            // The poll will look anyway; a wake-up that fails costs only time.
            LOG.warn("could not wake the migrations of namespace {}: {}", namespace, e.toString());
        }
    }

    private static boolean waitingOnItsStep(Migration m) {
        return m.status() == MigrationStatus.WAITING && m.holdReason() == null;
    }

    private String namespaceOf(long id) {
        String known = namespaces.get(id);
        if (known != null) {
            return known;
        }
        String ns = store.inTransaction(tx -> tx.outputs().find(id, Phase.PLAN)).map(o -> {
            try {
                JsonNode plan = JSON.readTree(o.document());
                return plan.path("namespace").asText(null);
            } catch (java.io.IOException e) {
                return null;
            }
        }).orElse(null);
        if (ns != null) {
            namespaces.put(id, ns);
        }
        return ns;
    }

    /**
     * Makes the migration due now if it waits in {@code phase}; while its step may still be running, looks again
     * later, so that a change that comes before the step has said it waits is not lost.
     */
    private void wake(long id, Phase phase, int attemptsLeft) {
        Instant now = store.clock().instant();
        Boolean stepRunning = store.inTransaction(tx -> {
            Migration m = tx.migrations().lock(id).orElse(null);
            if (m == null || m.phase() != phase) {
                return false;
            }
            // Running, or due (its step may be running now: the engine does not mark that): the step has not said
            // yet when it wants to look again.
            boolean due = m.nextRunAt() == null || !m.nextRunAt().isAfter(now);
            if (m.status() == MigrationStatus.RUNNING || waitingOnItsStep(m) && due) {
                return true;
            }
            if (waitingOnItsStep(m)) {
                tx.migrations().update(m.withStatus(MigrationStatus.WAITING, now, m.lastError()));
                scheduler.schedule(id, now);
            }
            return false;
        });
        if (stepRunning && attemptsLeft > 1) {
            later.schedule(() -> {
                try {
                    wake(id, phase, attemptsLeft - 1);
                } catch (RuntimeException e) {
                    LOG.debug("wake-up of migration {} failed: {}", id, e.toString());
                }
            }, RETRY_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        later.shutdownNow();
    }
}
