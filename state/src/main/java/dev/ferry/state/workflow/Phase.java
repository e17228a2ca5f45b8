package dev.ferry.state.workflow;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The phases a migration moves through (DESIGN.md, "The pipeline"), plus {@link #ROLLBACK}, which undoes a
 * cutover, and {@link #DONE}, where a finished migration rests. Which moves between them are allowed is
 * decided by {@link Lifecycle} alone.
 */
public enum Phase {
    INVENTORY, PLAN, BUILD, STORAGE, COPY, DEPLOY, VERIFY, CUTOVER, VERIFY_AFTER, ROLLBACK, DONE;

    /** The name used in the API, the database and logs: lower case with dashes ({@code verify-after}). */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static Phase fromId(String id) {
        for (Phase p : values()) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown phase '" + id + "'; known phases: "
                + Arrays.stream(values()).map(Phase::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id();
    }
}
