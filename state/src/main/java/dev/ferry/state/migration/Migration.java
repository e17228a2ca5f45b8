package dev.ferry.state.migration;

import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import java.time.Instant;

/**
 * One host's way through the pipeline, as stored. Changes go through the methods below, which check the
 * move against {@link Lifecycle}, and reach the database only through {@link MigrationRepository#update},
 * which refuses a stale {@link #version()}.
 *
 * @param attempt       1 on entering a phase, +1 for every retry of it
 * @param nextRunAt     when the engine looks at it next; null when nothing is due
 * @param lastError     the last failure's message, cleared when a phase completes
 * @param holdReason    why the engine holds it back (a closed window, a full queue), or null
 * @param heldSince     since when it is held (its place in the queue), or null
 * @param admittedPhase the phase whose admission (windows, copy slots) it has passed; null before it started
 */
public record Migration(long id, long hostId, String hostName, Phase phase, MigrationStatus status, int attempt,
        Instant nextRunAt, String lastError, MigrationOptions options, Instant createdAt, Instant updatedAt,
        long version, String holdReason, Instant heldSince, Phase admittedPhase) {

    /**
     * Enters the next phase, at attempt 1, due at once (it keeps its slot). A phase with gates (a window, a copy
     * slot) is admitted separately before its work begins. A migration paused while its last step finished
     * enters the next phase and stays paused.
     */
    public Migration enterPhase(Phase next, Instant now, boolean gated) {
        Lifecycle.checkPhaseMove(phase, next);
        boolean paused = status == MigrationStatus.PAUSED;
        if (!paused) {
            Lifecycle.checkStatusMove(status, MigrationStatus.RUNNING);
        }
        return new Migration(id, hostId, hostName, next, paused ? status : MigrationStatus.RUNNING, 1,
                paused ? null : now, null, options, createdAt, updatedAt, version, null, null,
                gated ? admittedPhase : next);
    }

    /** Moves to another status in the same phase, to be looked at again at {@code runAt} (null: not scheduled). */
    public Migration withStatus(MigrationStatus next, Instant runAt, String error) {
        Lifecycle.checkStatusMove(status, next);
        return new Migration(id, hostId, hostName, phase, next, attempt, runAt, error, options, createdAt,
                updatedAt, version, null, null, admittedPhase);
    }

    /** The same phase, one attempt further. */
    public Migration nextAttempt(Instant runAt, String error) {
        Migration m = withStatus(MigrationStatus.RETRYING, runAt, error);
        return new Migration(id, hostId, hostName, phase, m.status, attempt + 1, runAt, error, options, createdAt,
                updatedAt, version, null, null, admittedPhase);
    }

    /** Back to attempt 1 of the current phase (an operator's retry); it must take a slot again. */
    public Migration restartPhase(Instant runAt) {
        Migration m = withStatus(MigrationStatus.SCHEDULED, runAt, lastError);
        return new Migration(id, hostId, hostName, phase, m.status, 1, runAt, lastError, options, createdAt,
                updatedAt, version, null, null, admittedPhase);
    }

    /**
     * Held back by the engine: QUEUED for a slot when it holds none, else WAITING in its phase (a window, a copy
     * slot). {@code since} keeps its place in line across re-checks.
     */
    public Migration hold(String reason, Instant since, Instant recheckAt) {
        MigrationStatus next = Lifecycle.holdsSlot(status) ? MigrationStatus.WAITING : MigrationStatus.QUEUED;
        Lifecycle.checkStatusMove(status, next);
        return new Migration(id, hostId, hostName, phase, next, attempt, recheckAt, lastError, options, createdAt,
                updatedAt, version, reason, since, admittedPhase);
    }

    /** Admitted: it takes (or keeps) its slot and has passed its current phase's gates. */
    public Migration admit(Instant now) {
        MigrationStatus next = Lifecycle.holdsSlot(status) ? status : MigrationStatus.RUNNING;
        Lifecycle.checkStatusMove(status, next);
        return new Migration(id, hostId, hostName, phase, next, attempt, now, lastError, options, createdAt,
                updatedAt, version, null, null, phase);
    }

    public Migration finish(Instant now) {
        Lifecycle.checkPhaseMove(phase, Phase.DONE);
        Lifecycle.checkStatusMove(status, MigrationStatus.COMPLETED);
        return new Migration(id, hostId, hostName, Phase.DONE, MigrationStatus.COMPLETED, attempt, null, null,
                options, createdAt, updatedAt, version, null, null, admittedPhase);
    }

    /**
     * Enters the rollback phase at attempt 1, due at once and past every gate: undoing a cutover never waits for
     * a window, a copy slot or an approval. It keeps its slot if it holds one, else takes one again.
     *
     * @param why what made it roll back, kept as its last error
     */
    public Migration startRollback(Instant now, String why) {
        Lifecycle.checkPhaseMove(phase, Phase.ROLLBACK);
        boolean holding = Lifecycle.holdsSlot(status);
        MigrationStatus next = holding ? MigrationStatus.RUNNING : MigrationStatus.SCHEDULED;
        Lifecycle.checkStatusMove(status, next);
        return new Migration(id, hostId, hostName, Phase.ROLLBACK, next, 1, now, why, options, createdAt, updatedAt,
                version, null, null, holding ? Phase.ROLLBACK : admittedPhase);
    }

    /** The rollback is done: the migration ends rolled back, in the rollback phase. */
    public Migration rolledBack() {
        if (phase != Phase.ROLLBACK) {
            throw new dev.ferry.state.workflow.IllegalTransitionException("migration " + id + " is in phase "
                    + phase + ", not rollback; only a rollback ends rolled back");
        }
        Lifecycle.checkStatusMove(status, MigrationStatus.ROLLED_BACK);
        return new Migration(id, hostId, hostName, phase, MigrationStatus.ROLLED_BACK, attempt, null, lastError,
                options, createdAt, updatedAt, version, null, null, admittedPhase);
    }

    /** Whether it has ever been admitted, that is, started. */
    public boolean started() {
        return admittedPhase != null;
    }
}
