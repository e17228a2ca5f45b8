package dev.ferry.migrations.step;

/**
 * The work of one phase. The engine calls {@link #run} whenever the migration is due; the step looks at
 * what it already did (outputs, checkpoints, objects it finds by name) and says how things stand.
 *
 * <p>A step never blocks or sleeps on long work: it starts it, returns {@link StepResult.Wait}, and checks
 * again on the next call. It never retries by itself: it returns {@link StepResult.Retry} or throws a
 * {@link dev.ferry.migrations.port.TransientFailure} and the engine retries by its policy. Its side effects
 * must be safe to repeat, because after a crash the same call runs again.
 */
@FunctionalInterface
public interface Step {
    StepResult run(StepContext ctx);
}
