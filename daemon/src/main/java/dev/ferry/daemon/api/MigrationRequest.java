package dev.ferry.daemon.api;

import java.time.Instant;

/**
 * The body of {@code POST /api/v1/migrations}: one host by id, or every host a label selector matches.
 */
record MigrationRequest(Long hostId, String selector, Instant startAt, Boolean approveCutover, String window,
        String cluster) {
}
