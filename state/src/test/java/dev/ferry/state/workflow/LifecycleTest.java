package dev.ferry.state.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LifecycleTest {

    @Test
    void phasesMoveForwardThroughThePipelineAndMaySkip() {
        assertThat(Lifecycle.canMovePhase(Phase.INVENTORY, Phase.PLAN)).isTrue();
        assertThat(Lifecycle.canMovePhase(Phase.PLAN, Phase.STORAGE)).isTrue();
        assertThat(Lifecycle.canMovePhase(Phase.VERIFY_AFTER, Phase.DONE)).isTrue();
    }

    @Test
    void phasesNeverMoveBackwards() {
        assertThat(Lifecycle.canMovePhase(Phase.COPY, Phase.BUILD)).isFalse();
        assertThat(Lifecycle.canMovePhase(Phase.DONE, Phase.INVENTORY)).isFalse();
        assertThatThrownBy(() -> Lifecycle.checkPhaseMove(Phase.DEPLOY, Phase.PLAN))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("from phase deploy to plan");
    }

    @Test
    void onlyACutoverCanBeRolledBack() {
        assertThat(Lifecycle.canMovePhase(Phase.CUTOVER, Phase.ROLLBACK)).isTrue();
        assertThat(Lifecycle.canMovePhase(Phase.VERIFY_AFTER, Phase.ROLLBACK)).isTrue();
        assertThat(Lifecycle.canMovePhase(Phase.DONE, Phase.ROLLBACK)).isTrue();
        assertThat(Lifecycle.canMovePhase(Phase.COPY, Phase.ROLLBACK)).isFalse();
        assertThat(Lifecycle.canMovePhase(Phase.ROLLBACK, Phase.DONE)).isFalse();
    }

    @Test
    void finalStatusesLeadNowhere() {
        for (MigrationStatus to : MigrationStatus.values()) {
            assertThat(Lifecycle.canMoveStatus(MigrationStatus.CANCELLED, to)).as("cancelled -> " + to).isFalse();
            assertThat(Lifecycle.canMoveStatus(MigrationStatus.ROLLED_BACK, to)).as("rolled-back -> " + to).isFalse();
        }
        assertThatThrownBy(() -> Lifecycle.checkStatusMove(MigrationStatus.ROLLED_BACK, MigrationStatus.RUNNING))
                .hasMessageContaining("rolled-back is final");
    }

    @Test
    void aPausedMigrationResumesThroughSchedulingOrIsCancelledButDoesNotFail() {
        assertThat(Lifecycle.canMoveStatus(MigrationStatus.PAUSED, MigrationStatus.SCHEDULED)).isTrue();
        assertThat(Lifecycle.canMoveStatus(MigrationStatus.PAUSED, MigrationStatus.RUNNING))
                .as("it must take a slot again").isFalse();
        assertThat(Lifecycle.canMoveStatus(MigrationStatus.PAUSED, MigrationStatus.CANCELLED)).isTrue();
        assertThat(Lifecycle.canMoveStatus(MigrationStatus.PAUSED, MigrationStatus.FAILED)).isFalse();
        assertThat(Lifecycle.canMoveStatus(MigrationStatus.FAILED, MigrationStatus.PAUSED)).isFalse();
    }

    @Test
    void onlyStartedMigrationsHoldSlots() {
        assertThat(Lifecycle.holdsSlot(MigrationStatus.RUNNING)).isTrue();
        assertThat(Lifecycle.holdsSlot(MigrationStatus.WAITING)).isTrue();
        assertThat(Lifecycle.holdsSlot(MigrationStatus.QUEUED)).isFalse();
        assertThat(Lifecycle.holdsSlot(MigrationStatus.PAUSED)).isFalse();
        assertThat(Lifecycle.canMoveStatus(MigrationStatus.SCHEDULED, MigrationStatus.WAITING))
                .as("a migration starts by taking a slot").isFalse();
    }

    @Test
    void idsRoundTrip() {
        for (Phase p : Phase.values()) {
            assertThat(Phase.fromId(p.id())).isEqualTo(p);
        }
        assertThat(Phase.VERIFY_AFTER.id()).isEqualTo("verify-after");
        assertThat(MigrationStatus.fromId("rolled-back")).isEqualTo(MigrationStatus.ROLLED_BACK);
        assertThatThrownBy(() -> Phase.fromId("deploy; rm -rf /")).hasMessageContaining("unknown phase");
    }
}
