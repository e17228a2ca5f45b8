package dev.ferry.state.workflow;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

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
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static MigrationStatus fromId(String id) {
        for (MigrationStatus s : values()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown status '" + id + "'; known statuses: "
                + Arrays.stream(values()).map(MigrationStatus::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id();
    }
}
