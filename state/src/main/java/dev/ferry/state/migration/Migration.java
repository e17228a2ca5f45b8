package dev.ferry.state.migration;

import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import java.time.Instant;

/**
 * One host's way through the pipeline, as stored. Changes go through the {@code with...} methods,
 * which check the move against {@link Lifecycle}, and reach the database only through
 * {@link MigrationRepository#update}, which refuses a stale {@link #version()}.
 *
 * @param attempt   1 on entering a phase, +1 for every retry of it
 * @param nextRunAt when the engine runs the phase's step next; null when nothing is due
 * @param lastError the last failure's message, cleared when a phase completes
 */
public record Migration(long id, long hostId, String hostName, Phase phase, MigrationStatus status, int attempt,
        Instant nextRunAt, String lastError, MigrationOptions options, Instant createdAt, Instant updatedAt,
        long version) {

    /** Enters the next phase, at attempt 1, due at once. */
    public Migration enterPhase(Phase next, Instant now) {
        Lifecycle.checkPhaseMove(phase, next);
        Lifecycle.checkStatusMove(status, MigrationStatus.RUNNING);
        return new Migration(id, hostId, hostName, next, MigrationStatus.RUNNING, 1, now, null, options, createdAt,
                updatedAt, version);
    }

    /** Moves to another status in the same phase, to run next at {@code runAt} (null: not scheduled). */
    public Migration withStatus(MigrationStatus next, Instant runAt, String error) {
        Lifecycle.checkStatusMove(status, next);
        return new Migration(id, hostId, hostName, phase, next, attempt, runAt, error, options, createdAt,
                updatedAt, version);
    }

    /** The same phase, one attempt further. */
    public Migration nextAttempt(Instant runAt, String error) {
        return withStatus(MigrationStatus.RETRYING, runAt, error).withAttempt(attempt + 1);
    }

    /** Back to attempt 1 of the current phase (an operator's retry). */
    public Migration restartPhase(Instant runAt) {
        return withStatus(MigrationStatus.RUNNING, runAt, lastError).withAttempt(1);
    }

    public Migration finish(Instant now) {
        Lifecycle.checkPhaseMove(phase, Phase.DONE);
        Lifecycle.checkStatusMove(status, MigrationStatus.COMPLETED);
        return new Migration(id, hostId, hostName, Phase.DONE, MigrationStatus.COMPLETED, attempt, null, null,
                options, createdAt, updatedAt, version);
    }

    private Migration withAttempt(int n) {
        return new Migration(id, hostId, hostName, phase, status, n, nextRunAt, lastError, options, createdAt,
                updatedAt, version);
    }
}
