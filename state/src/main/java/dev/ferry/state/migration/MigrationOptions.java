package dev.ferry.state.migration;

import java.time.Instant;

/**
 * What an operator chose when creating a migration.
 *
 * @param startAt        when the first step may run (null: at once)
 * @param approveCutover wait for an explicit approval before cutover
 */
public record MigrationOptions(Instant startAt, boolean approveCutover) {

    public static MigrationOptions defaults() {
        return new MigrationOptions(null, false);
    }
}
