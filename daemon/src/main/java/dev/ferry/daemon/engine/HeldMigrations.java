package dev.ferry.daemon.engine;

import dev.ferry.state.Store;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import java.time.Instant;
import java.util.List;

/**
 * The migrations held back for a slot. When a slot frees up, the first ones in line are looked at again at once
 * instead of at their next periodic re-check; only as many as there are free slots, so a long queue does not
 * stampede the store.
 */
final class HeldMigrations {

    private final Store store;
    private final MigrationScheduler scheduler;
    private final Limits limits;

    HeldMigrations(Store store, MigrationScheduler scheduler, Limits limits) {
        this.store = store;
        this.scheduler = scheduler;
        this.limits = limits;
    }

    void wakeFirst() {
        List<Migration> active = store.inTransaction(tx -> tx.migrations().active());
        Instant now = store.clock().instant();
        long running = active.stream().filter(m -> Lifecycle.holdsSlot(m.status())).count();
        active.stream().filter(m -> m.status() == MigrationStatus.QUEUED).sorted(QueueOrder.COMPARATOR)
                .limit(Math.max(0, limits.maxRunning() - running))
                .forEach(m -> scheduler.schedule(m.id(), now));
        long copying = active.stream().filter(Admission::holdsCopySlot).count();
        active.stream().filter(m -> m.phase() == Phase.COPY && m.holdReason() != null).sorted(QueueOrder.COMPARATOR)
                .limit(Math.max(0, limits.maxCopyJobs() - copying))
                .forEach(m -> scheduler.schedule(m.id(), now));
    }
}
