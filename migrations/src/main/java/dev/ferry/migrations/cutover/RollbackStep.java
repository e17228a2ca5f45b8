package dev.ferry.migrations.cutover;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.ferry.migrations.cutover.LegacyEdge.Edge;
import dev.ferry.migrations.cutover.LegacyEdge.EdgeFile;
import dev.ferry.migrations.cutover.LegacyEdge.EdgeState;
import dev.ferry.migrations.step.Step;
import dev.ferry.migrations.step.StepContext;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.state.workflow.Phase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Undoes a cutover: the legacy nginx's files go back to the originals the cutover saved, checked by
 * {@code nginx -t}, with a reload. Safe at any point of a cutover (a file the cutover had not reached yet is
 * already the original) and safe to repeat after a crash. The cluster's objects stay as they are, for a look at
 * what went wrong.
 */
public final class RollbackStep implements Step {

    /** Largest diff kept in the rollback's event. */
    private static final int MAX_DIFF = 64 * 1024;

    /**
     * @param files the configuration files restored
     * @param from  the form the legacy edge was in (or moving to) before
     * @param diff  what the restore changed, as a unified diff from that form to the original
     */
    public record RolledBack(List<String> files, String from, String diff) {
    }

    @Override
    public StepResult run(StepContext ctx) {
        Edge edge = ctx.checkpoint(Phase.CUTOVER, CutoverStep.EDGE, Edge.class).orElse(null);
        EdgeState from = ctx.checkpoint(Phase.CUTOVER, CutoverStep.TARGET, EdgeState.class).orElse(null);
        if (edge == null || from == null) {
            return StepResult.done(new RolledBack(List.of(), "original", ""),
                    "nothing to restore: the legacy nginx was never changed");
        }
        CutoverStep.move(ctx, edge, EdgeState.ORIGINAL, null);
        String diff = diff(edge, from);
        List<String> files = edge.files().stream().map(EdgeFile::path).toList();
        ctx.event("rollback.restored", "the legacy nginx serves the sites itself again: " + files.size()
                + " files restored from " + edge.backupDir() + " and nginx reloaded", Map.of("files", files,
                "from", from.name().toLowerCase(java.util.Locale.ROOT), "diff", diff));
        return StepResult.done(new RolledBack(files, from.name().toLowerCase(java.util.Locale.ROOT), diff),
                "the legacy nginx serves the sites itself again");
    }

    static String diff(Edge edge, EdgeState from) {
        StringBuilder out = new StringBuilder();
        for (EdgeFile f : edge.files()) {
            List<String> before = lines(f.content(from));
            List<String> after = lines(f.original());
            List<String> unified = UnifiedDiffUtils.generateUnifiedDiff(f.path(), f.path(), before,
                    DiffUtils.diff(before, after), 2);
            unified.forEach(l -> out.append(l).append('\n'));
        }
        return out.length() <= MAX_DIFF ? out.toString() : out.substring(0, MAX_DIFF) + "\n... (cut at 64 KiB)\n";
    }

    private static List<String> lines(String text) {
        return new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    }
}
