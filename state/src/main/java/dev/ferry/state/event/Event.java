package dev.ferry.state.event;

import dev.ferry.state.workflow.Phase;
import java.time.Instant;
import java.util.Map;

/**
 * One entry of the append-only event log: something that happened to a migration (or to a host outside
 * any migration), in order of {@link #id()}.
 *
 * @param kind    dotted name such as {@code phase.completed} or {@code operator.paused}
 * @param details structured facts for machines; never secrets
 */
public record Event(long id, Long migrationId, Long hostId, Instant at, Phase phase, String kind, String message,
        Map<String, Object> details) {
}
