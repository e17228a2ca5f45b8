package dev.ferry.daemon.engine;

import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.port.PermanentFailure;
import dev.ferry.migrations.port.Ports;
import dev.ferry.migrations.port.TransientFailure;
import dev.ferry.migrations.step.Itinerary;
import dev.ferry.migrations.step.Step;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.state.Store;
import dev.ferry.state.host.Host;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one due step of one migration and records its outcome: read the migration, run the step without
 * holding locks, then in one transaction re-read the migration under lock, apply the {@link Progress}
 * decision, write output and events; only after the commit schedule the next run. A crash anywhere leaves
 * the migration at its last committed state, from which the same step runs again.
 */
public final class MigrationRunner {

    /** Checkpoints the engine keeps for itself, out of the steps' namespace. */
    static final String ENGINE_CHECKPOINT_PREFIX = "engine.";
    private static final String LAST_WAIT = ENGINE_CHECKPOINT_PREFIX + "last-wait";
    /** Kept in the cutover phase when an operator approves it; its value is when. */
    static final String APPROVED = ENGINE_CHECKPOINT_PREFIX + "approved";
    /** A timer that fires a little early still counts as due. */
    private static final Duration EARLY = Duration.ofMillis(500);

    private static final Logger LOG = LoggerFactory.getLogger(MigrationRunner.class);

    private final Store store;
    private final Map<Phase, Step> steps;
    private final Itinerary itinerary;
    private final Progress progress;
    private final Admission admission;
    private final HeldMigrations held;
    private final Ports ports;
    private final MigrationScheduler scheduler;
    private final EngineListener listener;

    public MigrationRunner(Store store, Itinerary itinerary, Map<Phase, Step> steps, RetryPolicy retry, Limits limits,
            Ports ports, MigrationScheduler scheduler, EngineListener listener) {
        this.store = store;
        this.steps = Map.copyOf(steps);
        this.itinerary = itinerary;
        this.progress = new Progress(itinerary, retry);
        this.admission = new Admission(limits);
        this.held = new HeldMigrations(store, scheduler, limits);
        this.ports = ports;
        this.scheduler = scheduler;
        this.listener = listener;
    }

    public void runDue(long migrationId) {
        Optional<Migration> found = store.inTransaction(tx -> tx.migrations().find(migrationId));
        if (found.isEmpty()) {
            scheduler.forget(migrationId);
            return;
        }
        Migration m = found.get();
        if (!Lifecycle.isActive(m.status())) {
            return;
        }
        Instant now = ports.clock().instant();
        // A held migration is looked at whenever it is woken (a slot freed up): admission decides, not its timer.
        boolean held = m.holdReason() != null || m.status() == MigrationStatus.QUEUED;
        if (!held && m.nextRunAt() != null && m.nextRunAt().isAfter(now.plus(EARLY))) {
            scheduler.schedule(migrationId, m.nextRunAt());
            return;
        }
        MDC.put("host", m.hostName());
        MDC.put("migration", Long.toString(m.id()));
        MDC.put("phase", m.phase().id());
        MDC.put("attempt", Integer.toString(m.attempt()));
        try {
            admit(m).ifPresent(this::runStep);
        } finally {
            MDC.clear();
        }
    }

    /**
     * Checks slots and windows under the admission lock. Returns the migration to run the step for, or empty when
     * it is held back (it then says why, and its timer is set for the next look) or changed meanwhile.
     */
    private Optional<Migration> admit(Migration m) {
        if (Lifecycle.holdsSlot(m.status()) && m.admittedPhase() == m.phase()) {
            return Optional.of(m);
        }
        Optional<Admission.Result> decided = store.inTransaction(tx -> {
            tx.migrations().lockAdmission();
            Migration current = tx.migrations().lock(m.id()).orElse(null);
            if (current == null || current.version() != m.version()) {
                return Optional.<Admission.Result>empty();
            }
            boolean approved = tx.checkpoints().get(current.id(), Phase.CUTOVER, APPROVED).isPresent();
            Admission.Result r = admission.decide(current, itinerary.gates(current.phase()), tx.migrations().active(),
                    name -> tx.windows().find(name).map(WindowSchedule::of), approved, ports.clock().instant());
            return Optional.of(switch (r) {
                case Admission.Unchanged u -> u;
                case Admission.Admitted a -> new Admission.Admitted(record(tx, a.migration(), a.events()), a.events());
                case Admission.Held h -> new Admission.Held(record(tx, h.migration(), h.events()), h.events());
            });
        });
        if (decided.isEmpty()) {
            return Optional.empty();
        }
        return switch (decided.get()) {
            case Admission.Unchanged u -> Optional.of(m);
            case Admission.Admitted a -> Optional.of(a.migration());
            case Admission.Held h -> {
                LOG.info("held: {}", h.migration().holdReason());
                scheduler.schedule(m.id(), h.migration().nextRunAt());
                // Those ahead in line may be able to take a free slot now rather than at their next re-check.
                held.wakeFirst();
                yield Optional.empty();
            }
        };
    }

    private static Migration record(Store.Tx tx, Migration m, java.util.List<Decision.EventDraft> events) {
        Migration saved = tx.migrations().update(m);
        for (Decision.EventDraft e : events) {
            tx.events().append(m.id(), m.hostId(), e.phase(), e.kind(), e.message(), e.details());
        }
        return saved;
    }


    private void runStep(Migration m) {
        listener.stepStarting(m);
        long started = System.nanoTime();
        StepResult result = invoke(m);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        listener.stepFinished(m, result, took);
        LOG.info("step {} returned {} after {} ms", m.phase(), describe(result), took.toMillis());

        Optional<Migration> committed = store.inTransaction(tx -> {
            Migration current = tx.migrations().lock(m.id()).orElse(null);
            if (current == null || current.phase() != m.phase() || current.attempt() != m.attempt()
                    || !(Lifecycle.isActive(current.status()) || current.status() == MigrationStatus.PAUSED)) {
                return Optional.<Migration>empty();
            }
            String lastWait = tx.checkpoints().get(m.id(), m.phase(), LAST_WAIT).orElse(null);
            Decision d = progress.decide(current, result, lastWait, ports.clock().instant());
            Migration saved = tx.migrations().update(d.migration());
            if (d.output() != null) {
                tx.outputs().insert(m.id(), d.output().phase(), d.output().document(), d.output().summary());
                // An inventory phase's document is also the host's latest inventory, kept with the same commit.
                if (result instanceof StepResult.Done done && done.output() instanceof Inventory inv) {
                    tx.inventories().insert(m.hostId(), m.id(), inv.collectedAt(), inv.complete(),
                            inv.warnings().size(), d.output().document());
                }
            }
            if (result instanceof StepResult.Wait w && !w.reason().equals(lastWait)) {
                tx.checkpoints().put(m.id(), m.phase(), LAST_WAIT, w.reason());
            }
            for (Decision.EventDraft e : d.events()) {
                tx.events().append(m.id(), m.hostId(), e.phase(), e.kind(), e.message(), e.details());
            }
            return Optional.of(saved);
        });
        if (committed.isEmpty()) {
            LOG.warn("migration {} changed while its {} step ran (cancelled, or run elsewhere); result dropped",
                    m.id(), m.phase());
            return;
        }
        Migration saved = committed.get();
        listener.committed(m, saved);
        scheduleNext(saved);
        listener.scheduled(saved);
        if (Lifecycle.holdsSlot(m.status()) && !Lifecycle.holdsSlot(saved.status())
                || Admission.holdsCopySlot(m) && !Admission.holdsCopySlot(saved)) {
            held.wakeFirst();
        }
    }

    /** After a commit: keep the timer in step with what the store says. */
    void scheduleNext(Migration saved) {
        if (Lifecycle.isActive(saved.status()) && saved.nextRunAt() != null) {
            scheduler.schedule(saved.id(), saved.nextRunAt());
        } else if (saved.status() == MigrationStatus.PAUSED || saved.status() == MigrationStatus.FAILED) {
            scheduler.unschedule(saved.id());
        } else {
            scheduler.forget(saved.id());
        }
    }

    private StepResult invoke(Migration m) {
        Step step = steps.get(m.phase());
        if (step == null) {
            return StepResult.fail("phase " + m.phase() + " is not implemented in this version of Ferry; "
                    + "the migration cannot go past it");
        }
        Optional<Host> host = store.inTransaction(tx -> tx.hosts().find(m.hostId()));
        if (host.isEmpty()) {
            return StepResult.fail("host " + m.hostName() + " (id " + m.hostId() + ") no longer exists");
        }
        try {
            return step.run(new StoredStepContext(store, m, host.get(), ports));
        } catch (TransientFailure e) {
            return StepResult.retry(e.getMessage());
        } catch (PermanentFailure e) {
            return StepResult.fail(e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("step {} threw an unclassified exception", m.phase(), e);
            return StepResult.fail("unexpected error in the " + m.phase() + " step: " + e);
        }
    }

    private static String describe(StepResult r) {
        return switch (r) {
            case StepResult.Done d -> "done" + (d.summary().isEmpty() ? "" : " (" + d.summary() + ")");
            case StepResult.Wait w -> "wait " + w.after().toSeconds() + "s (" + w.reason() + ")";
            case StepResult.Retry t -> "retry (" + t.error() + ")";
            case StepResult.Fail f -> "fail (" + f.error() + ")";
        };
    }
}
