package dev.ferry.daemon.api;

import java.time.Instant;

/** The body of {@code POST /api/v1/migrations}. */
record MigrationRequest(Long hostId, Instant startAt, Boolean approveCutover) {
}
