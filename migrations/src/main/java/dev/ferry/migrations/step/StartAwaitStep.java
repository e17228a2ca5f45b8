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

    /** The checkpoint that counts runs: work started again after a failure is a new run, with new names. */
    String RUN = "run";

    /** Which run this is, from 1: the names of what {@link #start} launches include it. */
    default int runNumber(StepContext ctx) {
        return ctx.checkpoint(RUN, Integer.class).orElse(1);
    }

    /**
     * Gives up on the current run's work: the next attempt calls {@link #start} again, as run + 1 (so it launches
     * new objects rather than finding the failed ones). Returns the retry to hand to the engine.
     */
    default StepResult startOver(StepContext ctx, String why) {
        ctx.saveCheckpoint(RUN, runNumber(ctx) + 1);
        ctx.saveCheckpoint(STARTED, false);
        return StepResult.retry(why);
    }

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
