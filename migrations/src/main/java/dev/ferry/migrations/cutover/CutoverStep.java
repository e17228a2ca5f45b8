package dev.ferry.migrations.cutover;

import dev.ferry.migrations.copy.CopySettings;
import dev.ferry.migrations.copy.CopyStep;
import dev.ferry.migrations.cutover.LegacyEdge.Edge;
import dev.ferry.migrations.cutover.LegacyEdge.EdgeFile;
import dev.ferry.migrations.cutover.LegacyEdge.EdgeState;
import dev.ferry.migrations.deploy.DeployStep;
import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.port.CommandResult;
import dev.ferry.migrations.port.PermanentFailure;
import dev.ferry.migrations.port.RemoteCommand;
import dev.ferry.migrations.port.RemoteShell;
import dev.ferry.migrations.port.Shell;
import dev.ferry.migrations.port.TransientFailure;
import dev.ferry.migrations.step.Step;
import dev.ferry.migrations.step.StepContext;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.state.workflow.Phase;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cutover: a final delta copy (with the legacy sites answering 503 meanwhile, if configured), then the
 * legacy nginx hands every migrated site to the cluster's ingress. What the host's files were is saved in the
 * state store before anything changes, and on the host on the first change; which form the edge is moving to is
 * saved before each move, so a restarted daemon finishes the move it began (all files, one reload): the host ends
 * fully cut over, or, through the rollback, fully restored.
 */
public final class CutoverStep implements Step {

    /** The {@link Edge}: every changed file in its original and new forms. */
    public static final String EDGE = "edge";
    /** The form the edge is being moved to. */
    public static final String TARGET = "target";
    /** The form nginx last reloaded with. */
    public static final String APPLIED = "applied";
    static final String FINAL_COPY = "final-copy";

    private final CutoverSettings settings;
    private final CopyStep finalCopy;

    public CutoverStep(CutoverSettings settings, CopySettings copy, int uid, int gid) {
        this.settings = settings;
        this.finalCopy = new CopyStep(copy, uid, gid, "ferry-final-copy-");
    }

    /**
     * What the cutover did.
     *
     * @param ingress    where the legacy edge now sends the sites' traffic
     * @param dnsTarget  where DNS can point the sites: the Ingress's load-balancer address as the cluster reported
     *                   it at deploy time, else the configured ingress address
     * @param files      the legacy configuration files changed
     * @param backupDir  where the host keeps their originals
     * @param finalCopy  the final delta copy's figures
     */
    public record CutOver(String ingress, String dnsTarget, List<String> files, String backupDir,
            CopyStep.Copied finalCopy) {
    }

    @Override
    public StepResult run(StepContext ctx) {
        if (!settings.ingress().configured()) {
            return StepResult.fail("the cutover needs the cluster's ingress address: set cutover.ingressAddress in "
                    + "ferry.yaml");
        }
        Inventory inventory = ctx.requireOutput(Phase.INVENTORY, Inventory.class);
        Edge edge = ctx.checkpoint(EDGE, Edge.class).orElse(null);
        if (edge == null) {
            try {
                edge = LegacyEdge.plan(inventory, readFiles(ctx, inventory), ctx.migration().id(), settings);
            } catch (IllegalArgumentException e) {
                return StepResult.fail(e.getMessage());
            }
            // The state store's copy of the originals, before the host is touched.
            ctx.saveCheckpoint(EDGE, edge);
        }
        CopyStep.Copied copied = ctx.checkpoint(FINAL_COPY, CopyStep.Copied.class).orElse(null);
        if (copied == null) {
            if (settings.maintenance()) {
                move(ctx, edge, EdgeState.MAINTENANCE, EdgeState.ORIGINAL);
            }
            StepResult copy = finalCopy.run(ctx);
            if (!(copy instanceof StepResult.Done done)) {
                return copy;
            }
            copied = (CopyStep.Copied) done.output();
            ctx.saveCheckpoint(FINAL_COPY, copied);
        }
        move(ctx, edge, EdgeState.PROXY, EdgeState.ORIGINAL);
        String ingress = settings.ingress().address();
        String dns = ctx.output(Phase.DEPLOY, DeployStep.Deployed.class).map(DeployStep.Deployed::ingressAddress)
                .orElse(ingress);
        List<String> files = edge.files().stream().map(EdgeFile::path).toList();
        ctx.event("cutover.completed", "traffic of " + inventory.nginx().config().servers().size()
                + " server blocks goes through the legacy nginx to the cluster at " + ingress
                + "; DNS can move to " + dns + " at the operator's pace", Map.of("ingress", ingress,
                "dnsTarget", dns, "files", files, "backupDir", edge.backupDir()));
        return StepResult.done(new CutOver(ingress, dns, files, edge.backupDir(), copied),
                "the legacy nginx proxies to the cluster at " + ingress + "; point DNS at " + dns);
    }

    /**
     * Puts the edge in {@code target} unless this phase already saw nginx run it. The target is saved first:
     * after a crash, the same move runs again and completes.
     *
     * @param before the form nginx runs when this phase begins; null when not known (a rollback)
     */
    static void move(StepContext ctx, Edge edge, EdgeState target, EdgeState before) {
        EdgeState applied = ctx.checkpoint(APPLIED, EdgeState.class).orElse(before);
        if (applied == target && ctx.checkpoint(TARGET, EdgeState.class).orElse(before) == target) {
            return;
        }
        ctx.saveCheckpoint(TARGET, target);
        try (RemoteShell shell = ctx.ports().shells().open(ctx.host())) {
            EdgeSwitch.apply(shell, edge, target);
        }
        ctx.saveCheckpoint(APPLIED, target);
        ctx.event("cutover.edge", "the legacy nginx now runs its " + target.name().toLowerCase(java.util.Locale.ROOT)
                + " configuration (" + edge.files().size() + " files; originals kept in " + edge.backupDir() + ")",
                Map.of("state", target.name().toLowerCase(java.util.Locale.ROOT)));
    }

    /** Each configuration file with migrated server blocks, byte for byte, as it is on the host now. */
    private static Map<String, byte[]> readFiles(StepContext ctx, Inventory inventory) {
        List<String> paths = inventory.nginx().config().servers().stream().map(s -> s.file()).distinct().sorted()
                .toList();
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (RemoteShell shell = ctx.ports().shells().open(ctx.host())) {
            List<CommandResult> results = shell.runAll(paths.stream()
                    .map(p -> RemoteCommand.asRoot("read-nginx-config", "base64 < " + Shell.quote(p))).toList());
            for (int i = 0; i < paths.size(); i++) {
                CommandResult r = results.get(i);
                if (r.truncated()) {
                    throw new PermanentFailure(paths.get(i) + " is too large to read whole", null);
                }
                if (r.ok()) {
                    files.put(paths.get(i), Base64.getMimeDecoder().decode(r.stdout()));
                } else if (!r.stderr().contains("No such file")) {
                    throw new TransientFailure("cannot read " + paths.get(i) + ": " + r.stderr().strip(), null);
                }
            }
        }
        return files;
    }
}
