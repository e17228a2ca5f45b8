package dev.ferry.migrations.verify;

import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.plan.Plan;
import dev.ferry.migrations.port.Prober;
import dev.ferry.migrations.step.Step;
import dev.ferry.migrations.step.StepContext;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.state.workflow.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The verify phase: asks the legacy host and the cluster's ingress the same questions ({@link Probes}), under
 * the same names, and compares the answers. Any difference an operator has not accepted fails the phase, with
 * the report kept so the operator can read both sides and accept what is intended. Probing takes seconds, so it
 * runs within the step; nothing changes anywhere, so running it again is safe.
 */
public final class VerifyStep implements Step {

    /** The checkpoint listing the ids of probes whose differences an operator accepted ({@code String[]}). */
    public static final String ACCEPTED = "accepted";
    /** The checkpoint holding the last {@link VerifyReport}, also when the phase failed. */
    public static final String REPORT = "report";

    private static final int LISTED_IN_ERROR = 3;

    private final Ingress ingress;

    public VerifyStep(Ingress ingress) {
        this.ingress = ingress;
    }

    @Override
    public StepResult run(StepContext ctx) {
        if (!ingress.configured()) {
            return StepResult.fail("verify needs the cluster's ingress address: set cutover.ingressAddress in "
                    + "ferry.yaml");
        }
        Inventory inventory = ctx.requireOutput(Phase.INVENTORY, Inventory.class);
        Plan plan = ctx.requireOutput(Phase.PLAN, Plan.class);
        List<Probe> probes = Probes.derive(inventory, plan);
        if (probes.isEmpty()) {
            return StepResult.fail("verification found nothing to probe: no site has a name a client can send "
                    + "(only catch-all, wildcard or regular-expression server names)");
        }
        Set<String> accepted = Set.of(ctx.checkpoint(ACCEPTED, String[].class).orElse(new String[0]));
        String legacyAddress = ctx.host().spec().address();
        Normalizer cluster = Normalizer.cluster(ingress, legacyAddress, plan);
        Prober prober = ctx.ports().prober();
        List<ProbeResult> results = new ArrayList<>();
        for (Probe probe : probes) {
            Observed before = Observed.of(prober.fetch(new Prober.Request(probe.scheme(), probe.hostName(),
                    legacyAddress, probe.port(), probe.path())), Normalizer.legacy(legacyAddress, probe),
                    probe.hostName());
            Observed after = Observed.of(prober.fetch(new Prober.Request(probe.scheme(), probe.hostName(),
                    ingress.address(), ingress.port(probe.scheme()), probe.path())), cluster, probe.hostName());
            List<String> differences = Comparison.differences(probe, before, after);
            ProbeResult.Verdict verdict = differences.isEmpty() ? ProbeResult.Verdict.MATCH
                    : accepted.contains(probe.id()) ? ProbeResult.Verdict.ACCEPTED : ProbeResult.Verdict.MISMATCH;
            results.add(new ProbeResult(probe, before, after, verdict, differences));
        }
        VerifyReport report = VerifyReport.of(results);
        ctx.saveCheckpoint(REPORT, report);
        for (ProbeResult r : report.mismatches()) {
            ctx.event("verify.mismatch", r.probe().id() + ": " + r.differences().getFirst(),
                    Map.of("probe", r.probe().id(), "differences", r.differences()));
        }
        ctx.event("verify.completed", report.probes() + " probes: " + report.matched() + " match, "
                + report.accepted() + " accepted, " + report.mismatched() + " differ", Map.of(
                "probes", report.probes(), "matched", report.matched(), "accepted", report.accepted(),
                "mismatched", report.mismatched()));
        if (report.mismatched() > 0) {
            long id = ctx.migration().id();
            return StepResult.fail("verification: " + report.mismatched() + " of " + report.probes()
                    + " probes differ: " + report.firstMismatches(LISTED_IN_ERROR) + " – see GET /api/v1/migrations/" + id + "/verification; accept with POST /api/v1/migrations/"
                    + id + "/verification/accept");
        }
        return StepResult.done(report, report.probes() + " probes match (" + report.accepted() + " accepted)");
    }
}
