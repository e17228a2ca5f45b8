package dev.ferry.daemon.engine;

import dev.ferry.daemon.engine.Decision.EventDraft;
import dev.ferry.migrations.step.Gate;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Decides, before a step runs, whether the migration may go on: it needs a migration slot to start (global and
 * per-cluster limits), a copy slot to begin copying, and its maintenance window open to begin a user-facing
 * phase or, when it has a window and no start time, to start at all. Queues are first come, first served.
 * Pure: the caller reads the migrations under the admission lock and writes the result.
 */
final class Admission {

    /** How often a held migration looks again, besides being woken when a slot frees up. */
    static final Duration RECHECK = Duration.ofSeconds(15);

    sealed interface Result {
    }

    /** Nothing to check: run the step. */
    record Unchanged() implements Result {
    }

    /** Admitted: write the migration, append the events, run the step. */
    record Admitted(Migration migration, List<EventDraft> events) implements Result {
    }

    /** Held back: write the migration (it says why and until when), append the events, do not run the step. */
    record Held(Migration migration, List<EventDraft> events) implements Result {
    }

    private final Limits limits;

    Admission(Limits limits) {
        this.limits = limits;
    }

    /**
     * @param m       the migration, re-read under lock
     * @param gates   the gates of its current phase
     * @param active  every active migration (including {@code m}), read under the same lock
     * @param windows the schedule of a window by name (empty if the window was deleted)
     * @param approved an operator approved the migration's cutover
     */
    Result decide(Migration m, Set<Gate> gates, List<Migration> active,
            Function<String, Optional<WindowSchedule>> windows, boolean approved, Instant now) {
        boolean needsSlot = !Lifecycle.holdsSlot(m.status());
        boolean needsPhaseGates = m.admittedPhase() != m.phase();
        if (!needsSlot && !needsPhaseGates) {
            return new Unchanged();
        }
        if (m.phase() == Phase.ROLLBACK) {
            // Undoing a cutover is urgent: it takes a slot even when all are taken, and waits for no window.
            return new Admitted(m.admit(now), List.of());
        }
        if (needsPhaseGates && gates.contains(Gate.APPROVAL) && m.options().approveCutover() && !approved) {
            return hold(m, "waiting for approval: " + m.phase() + " begins after POST /api/v1/migrations/" + m.id()
                    + "/approve", now, now.plus(RECHECK));
        }
        String window = m.options().window();
        boolean startsWithWindow = needsSlot && !m.started() && window != null && m.options().startAt() == null;
        if (window != null && (startsWithWindow || (needsPhaseGates && gates.contains(Gate.WINDOW)))) {
            Optional<WindowSchedule> schedule = windows.apply(window);
            if (schedule.isEmpty()) {
                return hold(m, "window '" + window + "' does not exist (it was deleted); create it again or cancel "
                        + "the migration", now, now.plus(RECHECK));
            }
            if (!schedule.get().isOpen(now)) {
                Instant opens = schedule.get().nextOpening(now);
                String what = startsWithWindow ? "starts" : m.phase() + " begins";
                return opens == null
                        ? hold(m, "window '" + window + "' never opens again", now, now.plus(RECHECK))
                        : hold(m, what + " when window '" + window + "' opens at " + opens, now, opens);
            }
        }
        if (needsSlot) {
            List<Migration> holders = active.stream().filter(o -> Lifecycle.holdsSlot(o.status())).toList();
            String cluster = m.options().cluster();
            long clusterHolders = holders.stream().filter(o -> o.options().cluster().equals(cluster)).count();
            int free = (int) Math.min(limits.maxRunning() - holders.size(), limits.forCluster(cluster) - clusterHolders);
            int place = place(m, active, o -> !Lifecycle.holdsSlot(o.status())
                    && o.options().cluster().equals(cluster) && isDue(o, now));
            if (place > free) {
                return hold(m, "waiting for a migration slot: " + holders.size() + " of " + limits.maxRunning()
                        + " running" + (limits.perCluster().containsKey(cluster) ? " (" + clusterHolders + " of "
                        + limits.forCluster(cluster) + " in cluster " + cluster + ")" : "") + "; place " + place
                        + " in the queue", now, now.plus(RECHECK));
            }
        }
        if (needsPhaseGates && gates.contains(Gate.COPY_SLOT)) {
            long copying = active.stream().filter(Admission::holdsCopySlot).count();
            int place = place(m, active, o -> o.phase() == Phase.COPY && !holdsCopySlot(o) && isDue(o, now));
            if (place > limits.maxCopyJobs() - copying) {
                return hold(m, "waiting for a copy slot: " + copying + " of " + limits.maxCopyJobs()
                        + " copying; place " + place + " in the queue", now, now.plus(RECHECK));
            }
        }
        List<EventDraft> events = new ArrayList<>();
        if (!m.started()) {
            events.add(new EventDraft(m.phase(), "migration.started", "migration started", Map.of()));
            events.add(new EventDraft(m.phase(), "phase.started", m.phase() + " started", Map.of()));
        } else if (m.holdReason() != null) {
            events.add(new EventDraft(m.phase(), "migration.released", "no longer held: " + m.holdReason(), Map.of()));
        }
        return new Admitted(m.admit(now), events);
    }

    /** Whether a migration occupies one of the copy slots. */
    static boolean holdsCopySlot(Migration m) {
        return m.phase() == Phase.COPY && m.admittedPhase() == Phase.COPY && Lifecycle.holdsSlot(m.status());
    }

    /** 1-based place of {@code m} among the waiting migrations that match {@code waiting}. */
    private static int place(Migration m, List<Migration> active, Predicate<Migration> waiting) {
        List<Migration> line = active.stream().filter(o -> o.id() == m.id() || waiting.test(o))
                .sorted(QueueOrder.COMPARATOR).toList();
        for (int i = 0; i < line.size(); i++) {
            if (line.get(i).id() == m.id()) {
                return i + 1;
            }
        }
        throw new IllegalStateException("migration " + m.id() + " is not among the active migrations");
    }

    private static boolean isDue(Migration o, Instant now) {
        return o.nextRunAt() != null && !o.nextRunAt().isAfter(now.plus(RECHECK))
                || o.status() == MigrationStatus.QUEUED;
    }

    private static Result hold(Migration m, String reason, Instant now, Instant recheckAt) {
        // Its place in line dates from when it became due, so being looked at later does not cost it its place.
        Instant since = m.heldSince() != null ? m.heldSince()
                : m.nextRunAt() != null && m.nextRunAt().isBefore(now) ? m.nextRunAt() : now;
        List<EventDraft> events = m.holdReason() == null || !sameKind(m.holdReason(), reason)
                ? List.of(new EventDraft(m.phase(), "migration.held", reason, Map.of("until", recheckAt.toString())))
                : List.of();
        return new Held(m.hold(reason, since, recheckAt), events);
    }

    /** The queue place changes often; an event is worth it only when the kind of hold changes. */
    private static boolean sameKind(String a, String b) {
        return a.split(":")[0].equals(b.split(":")[0]);
    }
}
