package dev.ferry.state.workflow;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.ferry.state.EnumIds;

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
        return EnumIds.id(this);
    }

    @JsonCreator
    public static Phase fromId(String id) {
        return EnumIds.parse(Phase.class, id, "phase");
    }

    @Override
    public String toString() {
        return id();
    }
}
