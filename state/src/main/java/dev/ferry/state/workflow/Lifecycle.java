package dev.ferry.state.workflow;

import static dev.ferry.state.workflow.MigrationStatus.CANCELLED;
import static dev.ferry.state.workflow.MigrationStatus.COMPLETED;
import static dev.ferry.state.workflow.MigrationStatus.FAILED;
import static dev.ferry.state.workflow.MigrationStatus.PAUSED;
import static dev.ferry.state.workflow.MigrationStatus.QUEUED;
import static dev.ferry.state.workflow.MigrationStatus.RETRYING;
import static dev.ferry.state.workflow.MigrationStatus.ROLLED_BACK;
import static dev.ferry.state.workflow.MigrationStatus.RUNNING;
import static dev.ferry.state.workflow.MigrationStatus.SCHEDULED;
import static dev.ferry.state.workflow.MigrationStatus.WAITING;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The migration state machine: every allowed move of a phase and of a status is written here and nowhere
 * else. Code that changes a migration asks {@link #checkPhaseMove} and {@link #checkStatusMove} first.
 */
public final class Lifecycle {

    /** The forward pipeline, in order. An itinerary may skip phases, never reorder them. */
    public static final List<Phase> PIPELINE = List.of(
            Phase.INVENTORY, Phase.PLAN, Phase.BUILD, Phase.STORAGE, Phase.COPY,
            Phase.DEPLOY, Phase.VERIFY, Phase.CUTOVER, Phase.VERIFY_AFTER);

    private static final Set<MigrationStatus> ACTIVE = EnumSet.of(SCHEDULED, QUEUED, RUNNING, WAITING, RETRYING);
    /** Statuses that occupy one of the limited migration slots. */
    private static final Set<MigrationStatus> HOLDING_SLOT = EnumSet.of(RUNNING, WAITING, RETRYING);
    private static final Set<MigrationStatus> FINAL = EnumSet.of(CANCELLED, ROLLED_BACK);

    private static final Map<Phase, Set<Phase>> PHASE_MOVES = new EnumMap<>(Phase.class);
    private static final Map<MigrationStatus, Set<MigrationStatus>> STATUS_MOVES = new EnumMap<>(MigrationStatus.class);

    static {
        // Forward only: a phase may move to any later pipeline phase (skipped phases are the itinerary's
        // business) or to DONE.
        for (int i = 0; i < PIPELINE.size(); i++) {
            Set<Phase> next = EnumSet.of(Phase.DONE);
            next.addAll(PIPELINE.subList(i + 1, PIPELINE.size()));
            PHASE_MOVES.put(PIPELINE.get(i), next);
        }
        // Once traffic may have moved, the cutover can be undone, also by hand after completion.
        PHASE_MOVES.get(Phase.CUTOVER).add(Phase.ROLLBACK);
        PHASE_MOVES.get(Phase.VERIFY_AFTER).add(Phase.ROLLBACK);
        PHASE_MOVES.put(Phase.DONE, EnumSet.of(Phase.ROLLBACK));
        PHASE_MOVES.put(Phase.ROLLBACK, EnumSet.noneOf(Phase.class));

        Set<MigrationStatus> fromRunning = EnumSet.of(RUNNING, WAITING, RETRYING, PAUSED, FAILED, CANCELLED,
                COMPLETED, ROLLED_BACK);
        for (MigrationStatus s : HOLDING_SLOT) {
            STATUS_MOVES.put(s, fromRunning);
        }
        // Not started yet: it is admitted (running), queued for a slot, paused or cancelled.
        STATUS_MOVES.put(SCHEDULED, EnumSet.of(QUEUED, RUNNING, PAUSED, CANCELLED));
        STATUS_MOVES.put(QUEUED, EnumSet.of(RUNNING, PAUSED, CANCELLED));
        // Resuming, retrying and a manual rollback all take a slot again, through SCHEDULED.
        STATUS_MOVES.put(PAUSED, EnumSet.of(SCHEDULED, CANCELLED));
        STATUS_MOVES.put(FAILED, EnumSet.of(SCHEDULED, CANCELLED));
        STATUS_MOVES.put(COMPLETED, EnumSet.of(SCHEDULED));
        STATUS_MOVES.put(CANCELLED, EnumSet.noneOf(MigrationStatus.class));
        STATUS_MOVES.put(ROLLED_BACK, EnumSet.noneOf(MigrationStatus.class));
    }

    private Lifecycle() {
    }

    public static boolean canMovePhase(Phase from, Phase to) {
        return PHASE_MOVES.get(from).contains(to);
    }

    public static void checkPhaseMove(Phase from, Phase to) {
        if (!canMovePhase(from, to)) {
            throw new IllegalTransitionException("a migration cannot move from phase " + from + " to " + to
                    + "; from " + from + " it can move to " + PHASE_MOVES.get(from));
        }
    }

    /** An active migration may stay in its status (a wait followed by another wait); others must move. */
    public static boolean canMoveStatus(MigrationStatus from, MigrationStatus to) {
        return (from == to && isActive(from)) || STATUS_MOVES.get(from).contains(to);
    }

    public static void checkStatusMove(MigrationStatus from, MigrationStatus to) {
        if (!canMoveStatus(from, to)) {
            throw new IllegalTransitionException("a migration that is " + from + " cannot become " + to
                    + (STATUS_MOVES.get(from).isEmpty() ? " (" + from + " is final)"
                            : "; from " + from + " it can become " + STATUS_MOVES.get(from)));
        }
    }

    /** The engine runs steps only for migrations in these statuses. */
    public static boolean isActive(MigrationStatus status) {
        return ACTIVE.contains(status);
    }

    /** Whether the migration occupies one of the limited migration slots. */
    public static boolean holdsSlot(MigrationStatus status) {
        return HOLDING_SLOT.contains(status);
    }

    /** No operator action leads out of these. */
    public static boolean isFinal(MigrationStatus status) {
        return FINAL.contains(status);
    }
}
