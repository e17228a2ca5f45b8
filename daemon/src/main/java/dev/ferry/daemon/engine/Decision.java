package dev.ferry.daemon.engine;

import dev.ferry.state.migration.Migration;
import dev.ferry.state.workflow.Phase;
import java.util.List;
import java.util.Map;

/**
 * What the engine writes in one transaction after a step ran: the migration's new state, the output of a
 * finished phase (if any), and events, in order.
 */
record Decision(Migration migration, Output output, List<EventDraft> events) {

    /** A finished phase's output, as JSON. */
    record Output(Phase phase, String document, String summary) {
    }

    /** An event to append. */
    record EventDraft(Phase phase, String kind, String message, Map<String, ?> details) {
    }
}
