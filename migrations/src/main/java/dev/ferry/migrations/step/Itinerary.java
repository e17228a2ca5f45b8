package dev.ferry.migrations.step;

import dev.ferry.state.migration.Migration;
import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.Phase;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The route a migration takes, as data: the pipeline's phases in order, each with a predicate that switches
 * it on or off for a given migration. Which step does a phase's work is the wiring's business.
 */
public record Itinerary(List<Stop> stops) {

    /**
     * One phase of the route, when it applies, the gates its work waits for, and where a migration goes when the
     * phase fails for good: {@code onFailure} null means it stops there (failed, for an operator to retry);
     * {@link Phase#ROLLBACK} means the failure is undone at once.
     */
    public record Stop(Phase phase, String why, Predicate<Migration> applies, Set<Gate> gates, Phase onFailure) {
        public Stop {
            gates = gates.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(gates));
            if (onFailure != null) {
                Lifecycle.checkPhaseMove(phase, onFailure);
            }
        }

        public Stop(Phase phase, String why, Predicate<Migration> applies) {
            this(phase, why, applies, Set.of(), null);
        }
    }

    public Itinerary {
        stops = List.copyOf(stops);
        Phase previous = null;
        for (Stop s : stops) {
            if (previous != null) {
                Lifecycle.checkPhaseMove(previous, s.phase());
            }
            previous = s.phase();
        }
    }

    /**
     * Every phase of the pipeline, for every migration. The copy waits for a copy slot; the cutover, which makes
     * the final copy and moves traffic, waits for the migration's maintenance window and, when asked for, an
     * operator's approval. A cutover that fails, or a failed check after it, is rolled back: the legacy host ends
     * fully cut over or fully as it was.
     */
    public static Itinerary standard() {
        return new Itinerary(Lifecycle.PIPELINE.stream().map(p -> new Stop(p, "always", m -> true,
                switch (p) {
                    case COPY -> Set.of(Gate.COPY_SLOT);
                    case CUTOVER -> Set.of(Gate.WINDOW, Gate.APPROVAL);
                    default -> Set.<Gate>of();
                }, p == Phase.CUTOVER || p == Phase.VERIFY_AFTER ? Phase.ROLLBACK : null)).toList());
    }

    /** Where a migration goes when {@code phase} fails for good: empty means it stays there, failed. */
    public java.util.Optional<Phase> onFailure(Phase phase) {
        return stops.stream().filter(s -> s.phase() == phase).findFirst().map(Stop::onFailure);
    }

    /** The gates of a phase on this route (none for phases it does not visit). */
    public Set<Gate> gates(Phase phase) {
        return stops.stream().filter(s -> s.phase() == phase).findFirst().map(Stop::gates).orElse(Set.of());
    }

    /** The first phase a new migration enters. */
    public Phase first(Migration m) {
        return after(null, m);
    }

    /** The next phase that applies after {@code current} (null: from the start), or {@link Phase#DONE}. */
    public Phase after(Phase current, Migration m) {
        boolean passed = current == null;
        for (Stop s : stops) {
            if (passed && s.applies().test(m)) {
                return s.phase();
            }
            passed |= s.phase() == current;
        }
        return Phase.DONE;
    }
}
