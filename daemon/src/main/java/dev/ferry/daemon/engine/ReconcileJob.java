package dev.ferry.daemon.engine;

import dev.ferry.state.Store;
import dev.ferry.state.migration.Migration;
import java.time.Instant;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every active migration a timer if it has none. The store is the truth and timers are derived from it;
 * this closes the gap a crash leaves between committing an outcome and scheduling the next run.
 */
@DisallowConcurrentExecution
final class ReconcileJob implements Job {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileJob.class);

    private final Store store;
    private final MigrationScheduler scheduler;

    ReconcileJob(Store store, MigrationScheduler scheduler) {
        this.store = store;
        this.scheduler = scheduler;
    }

    @Override
    public void execute(JobExecutionContext context) {
        reconcile(store, scheduler);
    }

    static int reconcile(Store store, MigrationScheduler scheduler) {
        int fixed = 0;
        for (Migration m : store.inTransaction(tx -> tx.migrations().active())) {
            if (!scheduler.isScheduled(m.id())) {
                Instant at = m.nextRunAt() == null ? store.clock().instant() : m.nextRunAt();
                scheduler.schedule(m.id(), at);
                LOG.info("migration {} ({} {}) had no timer; scheduled for {}", m.id(), m.phase(), m.status(), at);
                fixed++;
            }
        }
        return fixed;
    }
}
