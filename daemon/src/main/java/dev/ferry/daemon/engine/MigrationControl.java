package dev.ferry.daemon.engine;

import dev.ferry.migrations.verify.VerifyReport;
import dev.ferry.migrations.verify.VerifyStep;
import dev.ferry.state.ConflictException;
import dev.ferry.state.Json;
import dev.ferry.state.NotFoundException;
import dev.ferry.state.Store;
import dev.ferry.state.ValidationException;
import dev.ferry.state.Violation;
import dev.ferry.state.host.Host;
import dev.ferry.state.host.LabelSelector;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.migration.MigrationOptions;
import dev.ferry.state.workflow.IllegalTransitionException;
import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * What operators do to migrations: create one or a batch, pause, resume, cancel, retry a failed phase. Each
 * action is one transaction that checks the move against the {@link Lifecycle}, records an event, and only then
 * adjusts the timers.
 */
public final class MigrationControl {

    private final Store store;
    private final MigrationScheduler scheduler;
    private final HeldMigrations held;

    public MigrationControl(Store store, MigrationScheduler scheduler, Limits limits) {
        this.store = store;
        this.scheduler = scheduler;
        this.held = new HeldMigrations(store, scheduler, limits);
    }

    /** What a batch created, and which matching hosts it left out and why. */
    public record Batch(List<Migration> created, List<Skipped> skipped) {
    }

    /** A host a batch did not migrate. */
    public record Skipped(long hostId, String hostName, String reason) {
    }

    /** Starts a migration of the host, at once, at {@code options.startAt()} or in its window. One unfinished one per host. */
    public Migration create(long hostId, MigrationOptions options) {
        Migration m = store.inTransaction(tx -> {
            checkWindow(tx, options);
            Host host = tx.hosts().find(hostId).orElseThrow(() -> new NotFoundException("no host with id " + hostId));
            String busy = unfinished(tx, hostId);
            if (busy != null) {
                throw new ConflictException("host " + host.name() + " already has an unfinished migration: " + busy
                        + "; cancel it first");
            }
            return insert(tx, host, options);
        });
        scheduler.schedule(m.id(), m.nextRunAt());
        return m;
    }

    /** Starts a migration for every host the selector matches that has no unfinished one. */
    public Batch createBatch(LabelSelector selector, MigrationOptions options) {
        Batch batch = store.inTransaction(tx -> {
            checkWindow(tx, options);
            List<Migration> created = new ArrayList<>();
            List<Skipped> skipped = new ArrayList<>();
            List<Host> matching = tx.hosts().all().stream().filter(h -> selector.matches(h.spec().labels())).toList();
            if (matching.isEmpty()) {
                throw new ValidationException(List.of(new Violation("selector", "matches no registered host")));
            }
            for (Host host : matching) {
                String busy = unfinished(tx, host.id());
                if (busy != null) {
                    skipped.add(new Skipped(host.id(), host.name(), "has an unfinished migration: " + busy));
                } else {
                    created.add(insert(tx, host, options));
                }
            }
            return new Batch(created, skipped);
        });
        batch.created().forEach(m -> scheduler.schedule(m.id(), m.nextRunAt()));
        return batch;
    }

    public Migration pause(long id) {
        Migration m = act(id, "paused", (cur, now) -> {
            if (!Lifecycle.isActive(cur.status())) {
                throw refused(cur, "pause", "only a scheduled, queued, running, waiting or retrying migration can be paused");
            }
            return cur.withStatus(MigrationStatus.PAUSED, null, cur.lastError());
        });
        scheduler.unschedule(id);
        held.wakeFirst();
        return m;
    }

    /** A paused migration takes a slot again, then goes on where it stopped. */
    public Migration resume(long id) {
        Migration m = act(id, "resumed", (cur, now) -> {
            if (cur.status() != MigrationStatus.PAUSED) {
                throw refused(cur, "resume", "only a paused migration can be resumed");
            }
            Instant start = cur.options().startAt();
            return cur.withStatus(MigrationStatus.SCHEDULED, start != null && start.isAfter(now) ? start : now,
                    cur.lastError());
        });
        scheduler.schedule(id, m.nextRunAt());
        return m;
    }

    public Migration cancel(long id) {
        Migration m = act(id, "cancelled", (cur, now) -> {
            if (Lifecycle.isFinal(cur.status()) || cur.status() == MigrationStatus.COMPLETED) {
                throw refused(cur, "cancel", "it has already ended");
            }
            return cur.withStatus(MigrationStatus.CANCELLED, null, cur.lastError());
        });
        scheduler.forget(id);
        held.wakeFirst();
        return m;
    }

    /** Runs a failed migration's failed phase again, from attempt 1, once it has a slot. */
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

    /**
     * Lets a migration created with {@code approveCutover} begin its cutover, now if it is waiting for that, or
     * when it gets there. Approving twice is refused, as is approving a migration that never asked for it or is
     * already past the cutover.
     */
    public Migration approve(long id) {
        Migration m = act(id, "approved", (tx, cur, now) -> {
            if (!cur.options().approveCutover()) {
                throw refused(cur, "approve", "it was created without approveCutover, so its cutover needs no approval");
            }
            if (Lifecycle.isFinal(cur.status()) || cur.status() == MigrationStatus.COMPLETED
                    || cur.phase().compareTo(Phase.CUTOVER) > 0) {
                throw refused(cur, "approve", "its cutover has already happened or it has ended");
            }
            if (tx.checkpoints().get(id, Phase.CUTOVER, MigrationRunner.APPROVED).isPresent()) {
                throw new ConflictException("migration " + id + "'s cutover is already approved");
            }
            tx.checkpoints().put(id, Phase.CUTOVER, MigrationRunner.APPROVED, Json.write(now.toString()));
            return cur;
        });
        if (Lifecycle.isActive(m.status())) {
            // It may be held at the gate: look at once rather than at its next re-check.
            scheduler.schedule(id, store.clock().instant());
        }
        return m;
    }

    /**
     * Undoes a cutover: the migration enters the rollback phase at once, whatever it was doing (a step of it that
     * is running finishes first and its result is dropped; Quartz never runs one migration twice at once). Allowed
     * from the moment the cutover phase began until the migration ends rolled back, also after completion.
     */
    public Migration rollback(long id) {
        Migration m = act(id, "rolled back", (tx, cur, now) -> {
            if (cur.phase() == Phase.ROLLBACK || Lifecycle.isFinal(cur.status())) {
                throw refused(cur, "roll back", "it is already rolled back, rolling back or cancelled");
            }
            if (!Lifecycle.canMovePhase(cur.phase(), Phase.ROLLBACK) || cur.admittedPhase() != Phase.CUTOVER
                    && cur.phase() == Phase.CUTOVER) {
                throw refused(cur, "roll back", "traffic has not begun to move (phase " + cur.phase()
                        + "); nothing to undo: cancel it instead");
            }
            tx.events().append(id, cur.hostId(), Phase.ROLLBACK, "rollback.started", "an operator asked for a "
                    + "rollback in phase " + cur.phase() + " (" + cur.status() + ")", Map.of("from", cur.phase().id()));
            return cur.startRollback(now, "rollback requested by an operator");
        });
        scheduler.schedule(id, m.nextRunAt());
        return m;
    }

    /**
     * Accepts differences the verify phase found (the probes named, or all of them when none are named) and runs
     * the phase again; the accepted probes no longer block the cutover. Only for a migration whose verification
     * failed, and only for probes of its last report that differ.
     */
    public Migration acceptDifferences(long id, List<String> probes) {
        Migration m = act(id, "accepted differences of", (tx, cur, now) -> {
            if (cur.phase() != Phase.VERIFY || cur.status() != MigrationStatus.FAILED) {
                throw refused(cur, "accept differences for", "only a migration whose verification failed has "
                        + "differences to accept (it is in phase " + cur.phase() + ")");
            }
            VerifyReport report = tx.checkpoints().get(id, Phase.VERIFY, VerifyStep.REPORT)
                    .map(j -> Json.read(j, VerifyReport.class)).orElseThrow(() -> refused(cur,
                            "accept differences for", "its verification left no report"));
            List<String> differing = report.mismatches().stream().map(r -> r.probe().id()).toList();
            List<String> chosen = probes.isEmpty() ? differing : probes;
            List<Violation> unknown = chosen.stream().filter(p -> !differing.contains(p))
                    .map(p -> new Violation("probes", "'" + p + "' is not a probe that differs; those are: "
                            + differing)).toList();
            if (!unknown.isEmpty()) {
                throw new ValidationException(unknown);
            }
            java.util.Set<String> accepted = new java.util.TreeSet<>(tx.checkpoints()
                    .get(id, Phase.VERIFY, VerifyStep.ACCEPTED).map(j -> List.of(Json.read(j, String[].class)))
                    .orElse(List.of()));
            accepted.addAll(chosen);
            tx.checkpoints().put(id, Phase.VERIFY, VerifyStep.ACCEPTED, Json.write(accepted));
            tx.events().append(id, cur.hostId(), Phase.VERIFY, "verify.accepted", "an operator accepted the "
                    + "differences of " + chosen.size() + " probes: " + String.join(", ", chosen),
                    Map.of("probes", chosen));
            return cur.restartPhase(now);
        });
        scheduler.schedule(id, m.nextRunAt());
        return m;
    }

    private static void checkWindow(Store.Tx tx, MigrationOptions options) {
        if (options.window() != null && tx.windows().find(options.window()).isEmpty()) {
            throw new ValidationException(List.of(new Violation("window", "no window named '" + options.window()
                    + "'; create it first (POST /api/v1/windows)")));
        }
    }

    private static String unfinished(Store.Tx tx, long hostId) {
        var unfinished = tx.migrations().unfinishedForHost(hostId);
        return unfinished.isEmpty() ? null : unfinished.stream()
                .map(u -> u.id() + " (" + u.phase() + ", " + u.status() + ")").collect(Collectors.joining(", "));
    }

    private static Migration insert(Store.Tx tx, Host host, MigrationOptions options) {
        Migration created = tx.migrations().insert(host.id(), host.name(), options);
        Map<String, Object> details = new java.util.TreeMap<>();
        if (options.startAt() != null) {
            details.put("startAt", options.startAt().toString());
        }
        if (options.window() != null) {
            details.put("window", options.window());
        }
        details.put("cluster", options.cluster());
        tx.events().append(created.id(), host.id(), created.phase(), "migration.created",
                "migration of " + host.name() + " created" + (options.window() != null && options.startAt() == null
                        ? ", to start in window '" + options.window() + "'" : ", first run at " + created.nextRunAt()),
                details);
        return created;
    }

    private Migration act(long id, String done, BiFunction<Migration, Instant, Migration> change) {
        return act(id, done, (tx, cur, now) -> change.apply(cur, now));
    }

    /** A change that also reads or writes other records in the same transaction. */
    @FunctionalInterface
    private interface Change {
        Migration apply(Store.Tx tx, Migration current, Instant now);
    }

    private Migration act(long id, String done, Change change) {
        return store.inTransaction(tx -> {
            Migration cur = tx.migrations().lock(id).orElseThrow(() -> new NotFoundException("no migration with id " + id));
            Migration next = change.apply(tx, cur, store.clock().instant());
            Migration saved = tx.migrations().update(next);
            tx.events().append(id, cur.hostId(), cur.phase(), "operator." + done.replace(' ', '-'),
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
