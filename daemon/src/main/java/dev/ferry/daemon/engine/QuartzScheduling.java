package dev.ferry.daemon.engine;

import dev.ferry.state.DatabaseSettings;
import dev.ferry.state.Store;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import java.util.function.Function;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.spi.JobFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Quartz with a JDBC job store in Ferry's own database: timers survive restarts, a job interrupted by a crash
 * is run again on start-up (requests recovery), and with PostgreSQL several daemons share the work (clustering).
 */
public final class QuartzScheduling implements MigrationScheduler, AutoCloseable {

    static final String GROUP = "migrations";
    private static final String PREFIX = "migration-";
    private static final JobKey RECONCILE = JobKey.jobKey("reconcile", "ferry");

    private final Scheduler scheduler;

    private QuartzScheduling(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * @param instanceId a stable name for this daemon: Quartz recovers the interrupted jobs of an instance when
     *                   an instance of the same name starts again (or, clustered, when another one notices it died)
     */
    public static QuartzScheduling create(Store store, int threads, boolean clustered, String instanceId) {
        // Quartz keeps one scheduler per name per JVM, and the name must be the same on every clustered daemon:
        // a second ferryd in this JVM would silently share the first one's scheduler.
        if (org.quartz.impl.SchedulerRepository.getInstance().lookup("ferry") != null) {
            throw new IllegalStateException("a ferryd is already running in this JVM; run one daemon per process");
        }
        String dataSourceName = "ferry-" + System.identityHashCode(store);
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return store.dataSource().getConnection();
            }

            @Override
            public void shutdown() {
            }

            @Override
            public void initialize() {
            }
        });
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "ferry");
        p.setProperty("org.quartz.scheduler.instanceId", instanceId);
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", store.vendor() == DatabaseSettings.Vendor.POSTGRESQL
                ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate" : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", Boolean.toString(clustered));
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "7500");
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        try {
            Scheduler s = new StdSchedulerFactory(p).getScheduler();
            return new QuartzScheduling(s);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot create the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    /** Starts firing: every migration job runs {@code runner}, and the reconciler runs every {@code every}. */
    public void start(MigrationRunner runner, Store store, Duration every) {
        Function<Class<? extends Job>, Job> jobs = type -> type == ReconcileJob.class
                ? new ReconcileJob(store, this) : new MigrationJob(runner);
        JobFactory factory = (bundle, s) -> jobs.apply(bundle.getJobDetail().getJobClass());
        try {
            scheduler.setJobFactory(factory);
            JobDetail reconcile = JobBuilder.newJob(ReconcileJob.class).withIdentity(RECONCILE).storeDurably().build();
            Trigger every30 = TriggerBuilder.newTrigger().withIdentity("reconcile", "ferry").forJob(RECONCILE)
                    .startNow()
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule().repeatForever()
                            .withIntervalInMilliseconds(every.toMillis())
                            .withMisfireHandlingInstructionNextWithRemainingCount())
                    .build();
            scheduler.addJob(reconcile, true);
            if (scheduler.checkExists(every30.getKey())) {
                scheduler.rescheduleJob(every30.getKey(), every30);
            } else {
                scheduler.scheduleJob(every30);
            }
            scheduler.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void schedule(long migrationId, Instant at) {
        JobKey job = jobKey(migrationId);
        Trigger trigger = TriggerBuilder.newTrigger()
                .withIdentity(triggerKey(migrationId))
                .forJob(job)
                .startAt(Date.from(at))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build();
        try {
            if (!scheduler.checkExists(job)) {
                scheduler.addJob(JobBuilder.newJob(MigrationJob.class).withIdentity(job).storeDurably()
                        .requestRecovery().build(), false);
            }
            // Rescheduling from inside the running job is safe: Quartz keeps a trigger that was replaced
            // during execution instead of deleting it when the execution completes.
            if (scheduler.checkExists(trigger.getKey())) {
                scheduler.rescheduleJob(trigger.getKey(), trigger);
            } else {
                scheduler.scheduleJob(trigger);
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule migration " + migrationId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void unschedule(long migrationId) {
        try {
            scheduler.unscheduleJob(triggerKey(migrationId));
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot unschedule migration " + migrationId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void forget(long migrationId) {
        try {
            scheduler.deleteJob(jobKey(migrationId));
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot drop migration " + migrationId + "'s job: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isScheduled(long migrationId) {
        try {
            return scheduler.checkExists(triggerKey(migrationId))
                    || scheduler.getCurrentlyExecutingJobs().stream()
                            .anyMatch(c -> c.getJobDetail().getKey().equals(jobKey(migrationId)));
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot look up migration " + migrationId + "'s timer", e);
        }
    }

    /** Quartz can store and fire: its tables and the database are reachable. */
    public boolean isHealthy() {
        try {
            return scheduler.isStarted() && !scheduler.isShutdown() && !scheduler.isInStandbyMode()
                    && scheduler.getTriggerState(TriggerKey.triggerKey("reconcile", "ferry")) != Trigger.TriggerState.ERROR;
        } catch (SchedulerException e) {
            return false;
        }
    }

    static long migrationId(JobKey key) {
        return Long.parseLong(key.getName().substring(PREFIX.length()));
    }

    private static JobKey jobKey(long id) {
        return JobKey.jobKey(PREFIX + id, GROUP);
    }

    private static TriggerKey triggerKey(long id) {
        return TriggerKey.triggerKey(PREFIX + id, GROUP);
    }

    @Override
    public void close() {
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            throw new IllegalStateException("Quartz did not shut down cleanly: " + e.getMessage(), e);
        }
    }
}
