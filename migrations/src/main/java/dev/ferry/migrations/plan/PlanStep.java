package dev.ferry.migrations.plan;

import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.step.Step;
import dev.ferry.migrations.step.StepContext;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.state.workflow.Phase;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The plan phase: pure work over the inventory. Every problem becomes an event; a plan with blocking problems
 * fails the phase (nothing has changed in the cluster yet) and is kept as the phase's {@value #BLOCKED}
 * checkpoint so the operator can read it.
 */
public final class PlanStep implements Step {

    /** The checkpoint that keeps a blocked plan readable. */
    public static final String BLOCKED = "blocked-plan";

    private final ClusterSettings settings;

    public PlanStep(ClusterSettings settings) {
        this.settings = settings;
    }

    @Override
    public StepResult run(StepContext ctx) {
        Plan plan = Planner.plan(ctx.requireOutput(Phase.INVENTORY, Inventory.class), settings);
        for (Problem p : plan.problems()) {
            ctx.event("plan.problem", p.severity().name().toLowerCase() + ": " + (p.site() == null ? ""
                    : p.site() + ": ") + p.message(), Map.of("code", p.code(), "severity",
                    p.severity().name().toLowerCase()));
        }
        if (plan.blocked()) {
            ctx.saveCheckpoint(BLOCKED, plan);
            return StepResult.fail("the plan has blocking problems: " + plan.problems().stream()
                    .filter(p -> p.severity() == Problem.Severity.BLOCKING).map(Problem::code).distinct()
                    .collect(Collectors.joining(", ")) + " (see the migration's events and plan)");
        }
        return StepResult.done(plan, plan.sites().size() + " sites, " + plan.phpImages().size() + " PHP images, "
                + plan.problems().size() + " warnings, plan " + plan.contentHash().substring(0, 12));
    }
}
