package dev.ferry.state.migration;

import dev.ferry.state.workflow.Phase;
import java.time.Instant;

/**
 * What a finished phase produced: a JSON document, its SHA-256, and a one-line summary for listings.
 * Written once per phase, in the transaction that moves the migration past it.
 */
public record StepOutput(long migrationId, Phase phase, String document, String contentHash, String summary,
        Instant completedAt) {
}
