package dev.ferry.migrations.step;

/**
 * A step whose work runs elsewhere for a long time (a Job in the cluster, say), written as a pair: {@link #start}
 * launches it and {@link #await} checks on it. Neither blocks. {@code start} runs until it has returned a
 * {@link StepResult.Wait} once; after that only {@code await} runs, also after a crash and restart.
 *
 * <p>{@code start} must save the name of what it launches with {@link StepContext#saveCheckpoint} before
 * launching it, and launch it idempotently (deterministic names; find before create), because a crash between
 * the launch and the end of {@code start} makes it run again.
 */
public interface StartAwaitStep extends Step {

    /** The checkpoint that tells {@link #run} the work was started. */
    String STARTED = "started";

    StepResult start(StepContext ctx);

    StepResult await(StepContext ctx);

    @Override
    default StepResult run(StepContext ctx) {
        if (ctx.checkpoint(STARTED, Boolean.class).orElse(false)) {
            return await(ctx);
        }
        StepResult result = start(ctx);
        if (result instanceof StepResult.Wait) {
            ctx.saveCheckpoint(STARTED, true);
        }
        return result;
    }
}
