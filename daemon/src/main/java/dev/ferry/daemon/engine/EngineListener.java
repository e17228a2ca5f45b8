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

    /** Tells both, in order. */
    static EngineListener both(EngineListener first, EngineListener second) {
        return new EngineListener() {
            @Override
            public void stepStarting(Migration migration) {
                first.stepStarting(migration);
                second.stepStarting(migration);
            }

            @Override
            public void stepFinished(Migration migration, StepResult result, Duration took) {
                first.stepFinished(migration, result, took);
                second.stepFinished(migration, result, took);
            }

            @Override
            public void committed(Migration before, Migration after) {
                first.committed(before, after);
                second.committed(before, after);
            }

            @Override
            public void scheduled(Migration migration) {
                first.scheduled(migration);
                second.scheduled(migration);
            }
        };
    }
}
