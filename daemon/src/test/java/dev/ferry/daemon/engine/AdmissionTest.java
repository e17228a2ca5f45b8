package dev.ferry.daemon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.migrations.step.Gate;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.migration.MigrationOptions;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    final Admission admission = new Admission(new Limits(2, Map.of("small", 1), 1));

    static Migration m(long id, Phase phase, MigrationStatus status, Phase admitted, Instant due, String window,
            String cluster) {
        return new Migration(id, id, "web" + id, phase, status, 1, due, null,
                new MigrationOptions(null, false, window, cluster), NOW, NOW, 1, null, null, admitted);
    }

    static Migration scheduled(long id, Instant due) {
        return m(id, Phase.INVENTORY, MigrationStatus.SCHEDULED, null, due, null, null);
    }

    static Migration running(long id, Phase phase) {
        return m(id, phase, MigrationStatus.RUNNING, phase, NOW, null, null);
    }

    Admission.Result decide(Migration m, List<Migration> others) {
        return decide(m, others, false);
    }

    Admission.Result decide(Migration m, List<Migration> others, boolean approved) {
        List<Migration> all = new ArrayList<>(others);
        all.add(m);
        return admission.decide(m, m.phase() == Phase.COPY ? Set.of(Gate.COPY_SLOT)
                : m.phase() == Phase.CUTOVER ? Set.of(Gate.WINDOW, Gate.APPROVAL) : Set.of(), all,
                name -> name.equals("nights")
                        ? Optional.of(WindowSchedule.of("0 22 * * *", Duration.ofHours(2), "UTC")) : Optional.empty(),
                approved, NOW);
    }

    static Migration awaitingCutover(boolean approveCutover) {
        return new Migration(7, 7, "web7", Phase.CUTOVER, MigrationStatus.RUNNING, 1, NOW, null,
                new MigrationOptions(null, approveCutover, null, null), NOW, NOW, 1, null, null, Phase.VERIFY);
    }

    @Test
    void aCutoverThatNeedsApprovalWaitsForItKeepingItsSlot() {
        Admission.Result held = decide(awaitingCutover(true), List.of());
        assertThat(held).isInstanceOf(Admission.Held.class);
        Migration m = ((Admission.Held) held).migration();
        assertThat(m.status()).isEqualTo(MigrationStatus.WAITING);
        assertThat(m.holdReason()).isEqualTo("waiting for approval: cutover begins after POST /api/v1/migrations/7/approve");

        Admission.Result approved = decide(awaitingCutover(true), List.of(), true);
        assertThat(approved).isInstanceOf(Admission.Admitted.class);
        assertThat(((Admission.Admitted) approved).migration().admittedPhase()).isEqualTo(Phase.CUTOVER);
    }

    @Test
    void aRollbackNeverWaitsForASlotOrAWindow() {
        Migration rollback = new Migration(9, 9, "web9", Phase.ROLLBACK, MigrationStatus.SCHEDULED, 1, NOW, null,
                new MigrationOptions(null, false, "nights", null), NOW, NOW, 1, null, null, Phase.DONE);
        Admission.Result r = decide(rollback, List.of(running(1, Phase.COPY), running(2, Phase.BUILD)));
        assertThat(r).isInstanceOf(Admission.Admitted.class);
        assertThat(((Admission.Admitted) r).migration().status()).isEqualTo(MigrationStatus.RUNNING);
    }

    @Test
    void aCutoverWithoutTheApprovalOptionGoesAhead() {
        assertThat(decide(awaitingCutover(false), List.of())).isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void aMigrationStartsWhenASlotIsFree() {
        Admission.Result r = decide(scheduled(3, NOW), List.of(running(1, Phase.COPY)));
        assertThat(r).isInstanceOf(Admission.Admitted.class);
        Admission.Admitted a = (Admission.Admitted) r;
        assertThat(a.migration().status()).isEqualTo(MigrationStatus.RUNNING);
        assertThat(a.migration().admittedPhase()).isEqualTo(Phase.INVENTORY);
        assertThat(a.events()).extracting(Decision.EventDraft::kind).containsExactly("migration.started", "phase.started");
    }

    @Test
    void withAllSlotsTakenItIsQueuedAndSaysItsPlace() {
        Admission.Result r = decide(scheduled(5, NOW),
                List.of(running(1, Phase.PLAN), running(2, Phase.BUILD), scheduled(4, NOW.minusSeconds(5))));
        Admission.Held h = (Admission.Held) r;
        assertThat(h.migration().status()).isEqualTo(MigrationStatus.QUEUED);
        assertThat(h.migration().holdReason()).isEqualTo("waiting for a migration slot: 2 of 2 running; place 2 in the queue");
        assertThat(h.migration().heldSince()).isEqualTo(NOW);
        assertThat(h.migration().nextRunAt()).isEqualTo(NOW.plus(Admission.RECHECK));
        assertThat(h.events()).extracting(Decision.EventDraft::kind).containsExactly("migration.held");
    }

    @Test
    void aFreeSlotGoesToTheFirstInLine() {
        Migration early = scheduled(4, NOW.minusSeconds(30));
        Migration late = scheduled(5, NOW);
        List<Migration> others = List.of(running(1, Phase.PLAN), early);
        assertThat(decide(late, others)).as("one slot free, but 4 was first").isInstanceOf(Admission.Held.class);
        assertThat(decide(early, List.of(running(1, Phase.PLAN), late))).isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void aClusterWithALowerLimitQueuesSooner() {
        Migration small1 = m(1, Phase.PLAN, MigrationStatus.RUNNING, Phase.PLAN, NOW, null, "small");
        Migration small2 = m(2, Phase.INVENTORY, MigrationStatus.SCHEDULED, null, NOW, null, "small");
        assertThat(((Admission.Held) decide(small2, List.of(small1))).migration().holdReason())
                .contains("(1 of 1 in cluster small)");
        Migration other = m(3, Phase.INVENTORY, MigrationStatus.SCHEDULED, null, NOW, null, "default");
        assertThat(decide(other, List.of(small1, small2))).isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void copyingWaitsForACopySlotWhileKeepingItsMigrationSlot() {
        Migration copying = running(1, Phase.COPY);
        Migration next = m(2, Phase.COPY, MigrationStatus.RUNNING, Phase.STORAGE, NOW, null, null);
        Admission.Held h = (Admission.Held) decide(next, List.of(copying));
        assertThat(h.migration().status()).isEqualTo(MigrationStatus.WAITING);
        assertThat(h.migration().holdReason()).startsWith("waiting for a copy slot: 1 of 1 copying");
        Admission.Result free = decide(next, List.of(running(1, Phase.DEPLOY)));
        assertThat(((Admission.Admitted) free).migration().admittedPhase()).isEqualTo(Phase.COPY);
    }

    @Test
    void aCutoverOutsideItsWindowWaitsForTheNextOpening() {
        Migration verified = m(1, Phase.CUTOVER, MigrationStatus.RUNNING, Phase.VERIFY, NOW, "nights", null);
        Admission.Held h = (Admission.Held) decide(verified, List.of());
        assertThat(h.migration().holdReason()).isEqualTo("cutover begins when window 'nights' opens at 2026-11-24T22:00:00Z");
        assertThat(h.migration().nextRunAt()).isEqualTo("2026-11-24T22:00:00Z");
        assertThat(h.migration().status()).isEqualTo(MigrationStatus.WAITING);
    }

    @Test
    void withAWindowAndNoStartTimeAMigrationStartsInItsWindowButEarlierPhasesMayRunBefore() {
        Migration inWindow = m(1, Phase.INVENTORY, MigrationStatus.SCHEDULED, null, NOW, "nights", null);
        assertThat(((Admission.Held) decide(inWindow, List.of())).migration().holdReason())
                .isEqualTo("starts when window 'nights' opens at 2026-11-24T22:00:00Z");
        Migration withStart = new Migration(2, 2, "web2", Phase.INVENTORY, MigrationStatus.SCHEDULED, 1, NOW, null,
                new MigrationOptions(NOW, false, "nights", null), NOW, NOW, 1, null, null, null);
        assertThat(decide(withStart, List.of())).isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void aMigrationThatHoldsItsSlotAndPassedItsGatesIsNotChecked() {
        assertThat(decide(running(1, Phase.COPY), List.of(running(2, Phase.COPY)))).isInstanceOf(Admission.Unchanged.class);
    }

    @Test
    void aRepeatedHoldOfTheSameKindIsNotLoggedAgain() {
        Migration queued = m(5, Phase.INVENTORY, MigrationStatus.QUEUED, null, NOW, null, null);
        queued = queued.hold("waiting for a migration slot: 2 of 2 running; place 3 in the queue", NOW.minusSeconds(60), NOW);
        Admission.Held h = (Admission.Held) decide(queued, List.of(running(1, Phase.PLAN), running(2, Phase.PLAN)));
        assertThat(h.events()).isEmpty();
        assertThat(h.migration().heldSince()).isEqualTo(NOW.minusSeconds(60));
    }
}
