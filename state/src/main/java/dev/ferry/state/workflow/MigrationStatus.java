package dev.ferry.state.workflow;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.ferry.state.EnumIds;

/** Where a migration stands, independent of its phase. {@link Lifecycle} lists the allowed moves. */
public enum MigrationStatus {
    /** Created, resumed or retried: it takes a migration slot at its start time, then runs. */
    SCHEDULED,
    /** Due to start, but held back: no free migration slot yet (see its hold reason and queue position). */
    QUEUED,
    /** Its current phase's step is due now or is running. */
    RUNNING,
    /** Its step asked to be polled again later (a Job is running, say). */
    WAITING,
    /** Its step failed in a way worth retrying; it runs again after a backoff. */
    RETRYING,
    /** An operator paused it; nothing runs until it is resumed. */
    PAUSED,
    /** Its step failed for good or ran out of attempts; an operator can retry the phase. */
    FAILED,
    /** An operator cancelled it. Final. */
    CANCELLED,
    /** Every phase is done. */
    COMPLETED,
    /** A cutover was undone. Final. */
    ROLLED_BACK;

    @JsonValue
    public String id() {
        return EnumIds.id(this);
    }

    @JsonCreator
    public static MigrationStatus fromId(String id) {
        return EnumIds.parse(MigrationStatus.class, id, "status");
    }

    @Override
    public String toString() {
        return id();
    }
}
