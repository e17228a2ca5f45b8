package dev.ferry.daemon.engine;

import dev.ferry.daemon.engine.Decision.EventDraft;
import dev.ferry.migrations.step.Itinerary;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.state.Json;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The engine's pure core: given the migration as it stands now and what its step returned, decides the next
 * state and what to record. Knows nothing of the database or Quartz.
 */
final class Progress {

    private final Itinerary itinerary;
    private final RetryPolicy retry;

    Progress(Itinerary itinerary, RetryPolicy retry) {
        this.itinerary = itinerary;
        this.retry = retry;
    }

    /**
     * @param current    the migration re-read under lock, after the step ran
     * @param result     what the step returned
     * @param lastWait   the reason of the last wait recorded in this phase (to avoid one event per poll)
     */
    Decision decide(Migration current, StepResult result, String lastWait, Instant now) {
        Phase phase = current.phase();
        List<EventDraft> events = new ArrayList<>();
        boolean paused = current.status() == MigrationStatus.PAUSED;
        return switch (result) {
            case StepResult.Done done -> {
                String document = Json.write(done.output());
                Phase next = itinerary.after(phase, current);
                events.add(new EventDraft(phase, "phase.completed", phase + " completed"
                        + (done.summary().isEmpty() ? "" : ": " + done.summary()), Map.of("attempt", current.attempt())));
                Migration moved;
                if (phase == Phase.ROLLBACK) {
                    moved = current.rolledBack();
                    events.add(new EventDraft(phase, "migration.rolled-back", "migration rolled back"
                            + (done.summary().isEmpty() ? "" : ": " + done.summary()), Map.of()));
                } else if (next == Phase.DONE) {
                    moved = current.finish(now);
                    events.add(new EventDraft(Phase.DONE, "migration.completed", "migration completed", Map.of()));
                } else {
                    // Work that finished while an operator paused is kept; the migration stays paused.
                    moved = current.enterPhase(next, now, !itinerary.gates(next).isEmpty());
                    events.add(new EventDraft(next, "phase.started", next + " started", Map.of()));
                }
                yield new Decision(moved, new Decision.Output(phase, document, done.summary()), events);
            }
            case StepResult.Wait wait -> {
                if (!wait.reason().equals(lastWait)) {
                    events.add(new EventDraft(phase, "step.waiting", wait.reason(),
                            Map.of("pollSeconds", wait.after().toSeconds())));
                }
                Migration next = paused ? current
                        : current.withStatus(MigrationStatus.WAITING, now.plus(wait.after()), current.lastError());
                yield new Decision(next, null, events);
            }
            case StepResult.Retry r -> {
                if (paused) {
                    events.add(new EventDraft(phase, "step.failed-while-paused", r.error(),
                            Map.of("attempt", current.attempt())));
                    yield new Decision(current, null, events);
                }
                if (retry.allowsAnotherAfter(current.attempt())) {
                    var delay = retry.delayAfter(current.attempt());
                    events.add(new EventDraft(phase, "step.retry", "attempt " + current.attempt() + " failed, "
                            + "retrying in " + delay.toSeconds() + "s: " + r.error(),
                            Map.of("attempt", current.attempt(), "retryInSeconds", delay.toSeconds())));
                    yield new Decision(current.nextAttempt(now.plus(delay), r.error()), null, events);
                }
                yield failed(current, "gave up after " + current.attempt() + " attempts: " + r.error(), events, now);
            }
            case StepResult.Fail f -> {
                if (paused) {
                    events.add(new EventDraft(phase, "step.failed-while-paused", f.error(),
                            Map.of("attempt", current.attempt())));
                    yield new Decision(current, null, events);
                }
                yield failed(current, f.error(), events, now);
            }
        };
    }

    /** A phase failed for good: the migration stops failed, or goes where the itinerary sends failures. */
    private Decision failed(Migration current, String error, List<EventDraft> events, Instant now) {
        Phase phase = current.phase();
        var route = itinerary.onFailure(phase);
        if (route.isPresent() && route.get() == Phase.ROLLBACK) {
            events.add(new EventDraft(phase, "rollback.started", phase + " failed, rolling back: " + error,
                    Map.of("attempt", current.attempt(), "reason", error)));
            events.add(new EventDraft(Phase.ROLLBACK, "phase.started", Phase.ROLLBACK + " started", Map.of()));
            return new Decision(current.startRollback(now, error), null, events);
        }
        events.add(new EventDraft(phase, "migration.failed", error, Map.of("attempt", current.attempt())));
        return new Decision(current.withStatus(MigrationStatus.FAILED, null, error), null, events);
    }
}
