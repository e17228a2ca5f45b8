package dev.ferry.state.migration;

import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;

/** Which migrations a listing shows; null fields do not filter. */
public record MigrationFilter(MigrationStatus status, Phase phase, Long hostId) {

    public static MigrationFilter all() {
        return new MigrationFilter(null, null, null);
    }
}
