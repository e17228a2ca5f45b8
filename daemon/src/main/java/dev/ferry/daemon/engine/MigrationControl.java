package dev.ferry.daemon.engine;

import dev.ferry.state.ConflictException;
import dev.ferry.state.NotFoundException;
import dev.ferry.state.Store;
import dev.ferry.state.host.Host;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.migration.MigrationOptions;
import dev.ferry.state.workflow.IllegalTransitionException;
import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.MigrationStatus;
import java.time.Instant;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * What operators do to migrations: create one, pause, resume, cancel, retry a failed phase. Each action is one
 * transaction that checks the move against the {@link Lifecycle}, records an event, and only then adjusts the
 * timer.
 */
public final class MigrationControl {

    private final Store store;
    private final MigrationScheduler scheduler;

    public MigrationControl(Store store, MigrationScheduler scheduler) {
        this.store = store;
        this.scheduler = scheduler;
    }

    /** Starts a migration of the host, at once or at {@code options.startAt()}. One unfinished one per host. */
    public Migration create(long hostId, MigrationOptions options) {
        Migration m = store.inTransaction(tx -> {
            Host host = tx.hosts().find(hostId).orElseThrow(() -> new NotFoundException("no host with id " + hostId));
            var unfinished = tx.migrations().unfinishedForHost(hostId);
            if (!unfinished.isEmpty()) {
                throw new ConflictException("host " + host.name() + " already has an unfinished migration: "
                        + unfinished.stream().map(u -> u.id() + " (" + u.phase() + ", " + u.status() + ")")
                                .collect(Collectors.joining(", ")) + "; cancel it first");
            }
            Migration created = tx.migrations().insert(hostId, host.name(), options);
            tx.events().append(created.id(), hostId, created.phase(), "migration.created",
                    "migration of " + host.name() + " created, first run at " + created.nextRunAt(),
                    options.startAt() == null ? Map.of() : Map.of("startAt", options.startAt().toString()));
            return created;
        });
        scheduler.schedule(m.id(), m.nextRunAt());
        return m;
    }

    public Migration pause(long id) {
        Migration m = act(id, "paused", (cur, now) -> {
            if (!Lifecycle.isActive(cur.status())) {
                throw refused(cur, "pause", "only a scheduled, running, waiting or retrying migration can be paused");
            }
            return cur.withStatus(MigrationStatus.PAUSED, null, cur.lastError());
        });
        scheduler.unschedule(id);
        return m;
    }

    public Migration resume(long id) {
        Migration m = act(id, "resumed", (cur, now) -> {
            if (cur.status() != MigrationStatus.PAUSED) {
                throw refused(cur, "resume", "only a paused migration can be resumed");
            }
            // A migration whose start time has not come yet has not started: it goes back to waiting for it.
            Instant start = cur.options().startAt();
            return start != null && start.isAfter(now)
                    ? cur.withStatus(MigrationStatus.SCHEDULED, start, cur.lastError())
                    : cur.withStatus(MigrationStatus.RUNNING, now, cur.lastError());
        });
        scheduler.schedule(id, m.nextRunAt());
        return m;
    }

    public Migration cancel(long id) {
        Migration m = act(id, "cancelled", (cur, now) -> cur.withStatus(MigrationStatus.CANCELLED, null,
                cur.lastError()));
        scheduler.forget(id);
        return m;
    }

    /** Runs a failed migration's failed phase again, from attempt 1. */
    public Migration retry(long id) {
        Migration m = act(id, "retried", (cur, now) -> {
            if (cur.status() != MigrationStatus.FAILED) {
                throw refused(cur, "retry", "only a failed migration can be retried");
            }
            return cur.restartPhase(now);
        });
        scheduler.schedule(id, m.nextRunAt());
        return m;
    }

    private Migration act(long id, String done, BiFunction<Migration, Instant, Migration> change) {
        return store.inTransaction(tx -> {
            Migration cur = tx.migrations().lock(id).orElseThrow(() -> new NotFoundException("no migration with id " + id));
            Migration next = change.apply(cur, store.clock().instant());
            Migration saved = tx.migrations().update(next);
            tx.events().append(id, cur.hostId(), cur.phase(), "operator." + done,
                    "an operator " + done + " the migration (was " + cur.status() + ")",
                    Map.of("from", cur.status().id(), "to", saved.status().id()));
            return saved;
        });
    }

    private static IllegalTransitionException refused(Migration m, String action, String rule) {
        return new IllegalTransitionException("cannot " + action + " migration " + m.id() + ": it is " + m.status()
                + "; " + rule);
    }
}
