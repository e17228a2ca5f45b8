package dev.ferry.state.migration;

import java.time.Instant;

/**
 * What an operator chose when creating a migration.
 *
 * @param startAt        when it may start (null: at once, or at the next opening of {@code window})
 * @param approveCutover wait for an explicit approval before cutover
 * @param window         the maintenance window its user-facing phases must run in, or null for any time
 * @param cluster        the cluster it targets; concurrency limits may differ per cluster
 */
public record MigrationOptions(Instant startAt, boolean approveCutover, String window, String cluster) {

    public static final String DEFAULT_CLUSTER = "default";

    public MigrationOptions {
        cluster = cluster == null || cluster.isBlank() ? DEFAULT_CLUSTER : cluster;
    }

    public static MigrationOptions defaults() {
        return new MigrationOptions(null, false, null, null);
    }
}
