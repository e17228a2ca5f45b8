package dev.ferry.daemon.engine;

import java.time.Instant;

/** Decides when a migration's step runs next. The state store decides what runs; this only holds the timer. */
public interface MigrationScheduler {

    /** Runs the migration's next step at {@code at} (or now, if that is past), replacing any earlier timer. */
    void schedule(long migrationId, Instant at);

    /** Drops the timer; the migration keeps its place for a later {@link #schedule}. */
    void unschedule(long migrationId);

    /** Drops everything the scheduler holds for a migration that will never run again. */
    void forget(long migrationId);

    /** Whether a timer exists (or the step is running right now). */
    boolean isScheduled(long migrationId);
}
