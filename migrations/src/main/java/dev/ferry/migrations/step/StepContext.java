package dev.ferry.migrations.step;

import dev.ferry.migrations.port.Ports;
import dev.ferry.state.host.Host;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.workflow.Phase;
import java.util.Map;
import java.util.Optional;

/**
 * What a step sees of the world: its migration and host, what earlier phases produced, its own checkpoints,
 * the event log, and the ports to the outside (remote shells, the cluster, the clock).
 */
public interface StepContext {

    Migration migration();

    Host host();

    /** The output an earlier phase recorded, read back as {@code type}; empty when that phase was skipped. */
    <T> Optional<T> output(Phase phase, Class<T> type);

    /** Like {@link #output} for a phase that must have run before this one. */
    default <T> T requireOutput(Phase phase, Class<T> type) {
        return output(phase, type).orElseThrow(() -> new IllegalStateException(
                "phase " + phase + " has no recorded output, but " + migration().phase() + " needs it"));
    }

    /** A value this phase saved earlier with {@link #saveCheckpoint}. */
    default <T> Optional<T> checkpoint(String name, Class<T> type) {
        return checkpoint(migration().phase(), name, type);
    }

    /**
     * A checkpoint another phase of the same migration saved (the rollback reads what the cutover changed), or
     * this phase's own.
     */
    <T> Optional<T> checkpoint(Phase phase, String name, Class<T> type);

    /** Saves a value durably, at once: call it before the side effect it names. */
    void saveCheckpoint(String name, Object value);

    /** Appends to the migration's event log, at once. Never put secrets in messages or details. */
    void event(String kind, String message, Map<String, ?> details);

    Ports ports();
}
