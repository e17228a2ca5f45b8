package dev.ferry.migrations.step;

/** A condition the engine checks before a phase's work begins. The set is closed: the engine implements each. */
public enum Gate {
    /** The phase touches users: it begins only while the migration's maintenance window is open. */
    WINDOW,
    /** The phase copies site data: it begins only when one of the limited copy slots is free. */
    COPY_SLOT,
    /**
     * The phase moves traffic: for a migration created with {@code approveCutover}, it begins only after an
     * operator approved it ({@code POST /api/v1/migrations/{id}/approve}).
     */
    APPROVAL
}
