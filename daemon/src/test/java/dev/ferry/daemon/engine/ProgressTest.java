package dev.ferry.daemon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.migrations.step.Itinerary;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.migration.MigrationOptions;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressTest {

    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    final Progress progress = new Progress(Itinerary.standard(),
            new RetryPolicy(Duration.ofSeconds(10), 2, Duration.ofSeconds(60), 3));

    static Migration at(Phase phase, MigrationStatus status, int attempt) {
        return new Migration(7, 3, "web1", phase, status, attempt, NOW, null, MigrationOptions.defaults(), NOW, NOW, 4,
                null, null, phase);
    }

    @Test
    void doneMovesToTheNextPhaseAndKeepsTheOutput() {
        Decision d = progress.decide(at(Phase.COPY, MigrationStatus.WAITING, 2),
                StepResult.done(Map.of("files", 3), "3 files"), "copying", NOW);
        assertThat(d.migration().phase()).isEqualTo(Phase.DEPLOY);
        assertThat(d.migration().status()).isEqualTo(MigrationStatus.RUNNING);
        assertThat(d.migration().attempt()).isEqualTo(1);
        assertThat(d.migration().nextRunAt()).isEqualTo(NOW);
        assertThat(d.output().document()).isEqualTo("{\"files\":3}");
        assertThat(d.events()).extracting(Decision.EventDraft::kind).containsExactly("phase.completed", "phase.started");
        assertThat(d.migration().admittedPhase()).as("deploy has no gates").isEqualTo(Phase.DEPLOY);
    }

    @Test
    void aGatedPhaseIsEnteredButNotYetAdmitted() {
        Decision d = progress.decide(at(Phase.VERIFY, MigrationStatus.RUNNING, 1), StepResult.done("ok", ""), null, NOW);
        assertThat(d.migration().phase()).isEqualTo(Phase.CUTOVER);
        assertThat(d.migration().admittedPhase()).isEqualTo(Phase.VERIFY);
    }

    @Test
    void theLastPhaseCompletesTheMigration() {
        Decision d = progress.decide(at(Phase.VERIFY_AFTER, MigrationStatus.RUNNING, 1), StepResult.done("ok", ""), null, NOW);
        assertThat(d.migration().phase()).isEqualTo(Phase.DONE);
        assertThat(d.migration().status()).isEqualTo(MigrationStatus.COMPLETED);
        assertThat(d.migration().nextRunAt()).isNull();
        assertThat(d.events()).extracting(Decision.EventDraft::kind).containsExactly("phase.completed", "migration.completed");
    }

    @Test
    void aRepeatedWaitIsNotLoggedAgain() {
        Decision d = progress.decide(at(Phase.COPY, MigrationStatus.WAITING, 1),
                StepResult.waitFor(Duration.ofSeconds(10), "copy job running"), "copy job running", NOW);
        assertThat(d.events()).isEmpty();
        assertThat(d.output()).isNull();
    }

    @Test
    void retriesBackOffExponentiallyUntilTheAttemptsRunOut() {
        Decision first = progress.decide(at(Phase.BUILD, MigrationStatus.RUNNING, 1), StepResult.retry("timeout"), null, NOW);
        assertThat(first.migration().status()).isEqualTo(MigrationStatus.RETRYING);
        assertThat(first.migration().attempt()).isEqualTo(2);
        assertThat(first.migration().nextRunAt()).isEqualTo(NOW.plusSeconds(10));
        Decision second = progress.decide(at(Phase.BUILD, MigrationStatus.RETRYING, 2), StepResult.retry("timeout"), null, NOW);
        assertThat(second.migration().nextRunAt()).isEqualTo(NOW.plusSeconds(20));
        Decision last = progress.decide(at(Phase.BUILD, MigrationStatus.RETRYING, 3), StepResult.retry("timeout"), null, NOW);
        assertThat(last.migration().status()).isEqualTo(MigrationStatus.FAILED);
        assertThat(last.migration().lastError()).isEqualTo("gave up after 3 attempts: timeout");
        assertThat(last.migration().nextRunAt()).isNull();
    }

    @Test
    void workThatFinishesWhilePausedIsKeptAndTheMigrationStaysPaused() {
        Decision d = progress.decide(at(Phase.PLAN, MigrationStatus.PAUSED, 1), StepResult.done("plan", "1 site"), null, NOW);
        assertThat(d.migration().phase()).isEqualTo(Phase.BUILD);
        assertThat(d.migration().status()).isEqualTo(MigrationStatus.PAUSED);
        assertThat(d.migration().nextRunAt()).isNull();
        assertThat(d.output()).isNotNull();
    }

    @Test
    void aFailureWhilePausedDoesNotFailTheMigration() {
        Decision d = progress.decide(at(Phase.PLAN, MigrationStatus.PAUSED, 1), StepResult.fail("boom"), null, NOW);
        assertThat(d.migration().status()).isEqualTo(MigrationStatus.PAUSED);
        assertThat(d.events()).extracting(Decision.EventDraft::kind).containsExactly("step.failed-while-paused");
    }

    @Test
    void backoffIsCapped() {
        RetryPolicy p = new RetryPolicy(Duration.ofSeconds(10), 3, Duration.ofSeconds(60), 10);
        assertThat(p.delayAfter(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.delayAfter(2)).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.delayAfter(3)).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.delayAfter(9)).isEqualTo(Duration.ofSeconds(60));
    }
}
