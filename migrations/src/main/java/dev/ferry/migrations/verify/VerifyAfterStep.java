package dev.ferry.migrations.verify;

import dev.ferry.migrations.plan.Plan;
import dev.ferry.migrations.port.Prober;
import dev.ferry.migrations.step.Step;
import dev.ferry.migrations.step.StepContext;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.state.workflow.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The check after the cutover: the verify phase's probes, sent to the legacy address again (where the legacy nginx
 * now proxies to the cluster), must get the answers the sites gave before the cutover (where an operator accepted
 * a difference, the cluster's answer then will do too). Any other answer fails the phase, and the itinerary rolls
 * the cutover back at once.
 */
public final class VerifyAfterStep implements Step {

    private static final int LISTED_IN_ERROR = 3;

    private final Ingress ingress;

    public VerifyAfterStep(Ingress ingress) {
        this.ingress = ingress;
    }

    @Override
    public StepResult run(StepContext ctx) {
        VerifyReport before = ctx.requireOutput(Phase.VERIFY, VerifyReport.class);
        Plan plan = ctx.requireOutput(Phase.PLAN, Plan.class);
        String legacyAddress = ctx.host().spec().address();
        // What answers now is the cluster, reached through the legacy address.
        Normalizer now = Normalizer.cluster(ingress, legacyAddress, plan);
        Prober prober = ctx.ports().prober();
        List<ProbeResult> results = new ArrayList<>();
        for (ProbeResult earlier : before.results()) {
            Probe probe = earlier.probe();
            Observed actual = Observed.of(prober.fetch(new Prober.Request(probe.scheme(), probe.hostName(),
                    legacyAddress, probe.port(), probe.path())), now, probe.hostName());
            Observed expected = earlier.legacy();
            List<String> differences = Comparison.differences(probe, expected, actual);
            if (!differences.isEmpty() && earlier.verdict() == ProbeResult.Verdict.ACCEPTED
                    && Comparison.differences(probe, earlier.cluster(), actual).isEmpty()) {
                // The accepted answer: what the cluster gave when the operator accepted it.
                expected = earlier.cluster();
                differences = List.of();
            }
            results.add(new ProbeResult(probe, expected, actual, differences.isEmpty() ? ProbeResult.Verdict.MATCH
                    : ProbeResult.Verdict.MISMATCH, differences));
        }
        VerifyReport report = VerifyReport.of(results);
        for (ProbeResult r : report.mismatches()) {
            ctx.event("verify-after.mismatch", r.probe().id() + ": " + r.differences().getFirst(),
                    Map.of("probe", r.probe().id(), "differences", r.differences()));
        }
        if (report.mismatched() > 0) {
            return StepResult.fail("after the cutover " + report.mismatched() + " of " + report.probes()
                    + " probes through the legacy address answer differently than before (\"legacy host\": before "
                    + "the cutover, \"cluster\": now): " + report.firstMismatches(LISTED_IN_ERROR));
        }
        return StepResult.done(report, report.probes() + " probes through the legacy address answer as before");
    }
}
