package dev.ferry.state.inventory;

import java.time.Instant;

/**
 * An inventory document as kept in the store.
 *
 * @param migrationId the migration whose inventory phase took it; null when an operator asked for it
 * @param complete    false when some commands failed and the document carries warnings instead of their facts
 * @param document    the inventory as JSON
 */
public record StoredInventory(long id, long hostId, Long migrationId, Instant collectedAt, boolean complete,
                              int warnings, String document, String contentHash) {
}
