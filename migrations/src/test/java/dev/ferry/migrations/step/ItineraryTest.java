package dev.ferry.migrations.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.state.migration.Migration;
import dev.ferry.state.migration.MigrationOptions;
import dev.ferry.state.workflow.IllegalTransitionException;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ItineraryTest {

    static Migration migration(boolean approve) {
        return new Migration(1, 1, "web1", Phase.INVENTORY, MigrationStatus.RUNNING, 1, Instant.EPOCH, null,
                new MigrationOptions(null, approve, null, null), Instant.EPOCH, Instant.EPOCH, 0, null, null, null);
    }

    @Test
    void theStandardRouteVisitsEveryPipelinePhaseInOrder() {
        Itinerary it = Itinerary.standard();
        Migration m = migration(false);
        assertThat(it.first(m)).isEqualTo(Phase.INVENTORY);
        assertThat(it.after(Phase.COPY, m)).isEqualTo(Phase.DEPLOY);
        assertThat(it.after(Phase.VERIFY_AFTER, m)).isEqualTo(Phase.DONE);
    }

    @Test
    void phasesWhosePredicateIsFalseAreSkipped() {
        Itinerary it = new Itinerary(List.of(
                new Itinerary.Stop(Phase.INVENTORY, "always", m -> true),
                new Itinerary.Stop(Phase.PLAN, "only with approval", m -> m.options().approveCutover()),
                new Itinerary.Stop(Phase.BUILD, "always", m -> true)));
        assertThat(it.after(Phase.INVENTORY, migration(false))).isEqualTo(Phase.BUILD);
        assertThat(it.after(Phase.INVENTORY, migration(true))).isEqualTo(Phase.PLAN);
        assertThat(it.after(Phase.BUILD, migration(true))).isEqualTo(Phase.DONE);
    }

    @Test
    void anItineraryOutOfPipelineOrderIsRefused() {
        assertThatThrownBy(() -> new Itinerary(List.of(
                new Itinerary.Stop(Phase.COPY, "always", m -> true),
                new Itinerary.Stop(Phase.BUILD, "always", m -> true))))
                .isInstanceOf(IllegalTransitionException.class);
    }
}
