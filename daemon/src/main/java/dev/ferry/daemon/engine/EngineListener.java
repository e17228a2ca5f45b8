package dev.ferry.daemon.engine;

import dev.ferry.migrations.step.StepResult;
import dev.ferry.state.migration.Migration;
import java.time.Duration;

/**
 * Observes the engine at the points that matter for durability: before a step, after it, after its outcome is
 * committed, after the next run is scheduled. Metrics hang off these points, and the crash test kills the
 * daemon at them.
 */
public interface EngineListener {

    default void stepStarting(Migration migration) {
    }

    default void stepFinished(Migration migration, StepResult result, Duration took) {
    }

    default void committed(Migration before, Migration after) {
    }

    default void scheduled(Migration migration) {
    }

    EngineListener NONE = new EngineListener() {
    };
}
