package dev.ferry.daemon.engine;

import dev.ferry.migrations.step.Step;
import dev.ferry.migrations.step.StepContext;
import dev.ferry.migrations.step.StepResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A test-only step that follows a script, one entry per run: {@code done}, {@code wait:<millis>},
 * {@code retry}, {@code fail}, {@code throw-transient}, {@code throw-permanent}, {@code throw-bug}. The last entry
 * repeats. The run counter is a checkpoint, saved before acting, so a script survives daemon restarts the way a
 * real step's progress does.
 */
public final class ScriptedStep implements Step {

    /** Called inside the step, after its checkpoint and before it returns: the crash test kills there too. */
    public interface Hook {
        void inStep(StepContext ctx, int run);
    }

    private final List<String> script;
    private final Hook hook;

    public ScriptedStep(List<String> script, Hook hook) {
        if (script.isEmpty()) {
            throw new IllegalArgumentException("a script needs at least one entry");
        }
        this.script = List.copyOf(script);
        this.hook = hook;
    }

    public static ScriptedStep of(String... script) {
        return new ScriptedStep(List.of(script), (ctx, run) -> { });
    }

    @Override
    public StepResult run(StepContext ctx) {
        int run = ctx.checkpoint("runs", Integer.class).orElse(0) + 1;
        ctx.saveCheckpoint("runs", run);
        hook.inStep(ctx, run);
        String entry = script.get(Math.min(run, script.size()) - 1);
        return switch (entry.split(":")[0]) {
            case "done" -> StepResult.done(Map.of("phase", ctx.migration().phase().id(), "runs", run),
                    "scripted after " + run + " run(s)");
            case "wait" -> StepResult.waitFor(Duration.ofMillis(Long.parseLong(entry.split(":")[1])),
                    "scripted wait");
            case "retry" -> StepResult.retry("scripted transient failure (run " + run + ")");
            case "fail" -> StepResult.fail("scripted permanent failure (run " + run + ")");
            case "throw-transient" -> throw new dev.ferry.migrations.port.TransientFailure("connection reset");
            case "throw-permanent" -> throw new dev.ferry.migrations.port.PermanentFailure("host key changed");
            case "throw-bug" -> throw new IllegalStateException("a bug");
            default -> throw new IllegalArgumentException("unknown script entry " + entry);
        };
    }
}
