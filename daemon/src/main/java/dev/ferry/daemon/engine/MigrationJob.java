package dev.ferry.daemon.engine;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * The Quartz job of one migration (one durable JobDetail per migration). Quartz never runs two executions of
 * the same JobDetail at once, so one migration never runs on two threads. It carries no business data: the
 * job's name is the migration id.
 */
@DisallowConcurrentExecution
final class MigrationJob implements Job {

    private final MigrationRunner runner;

    MigrationJob(MigrationRunner runner) {
        this.runner = runner;
    }

    @Override
    public void execute(JobExecutionContext context) {
        runner.runDue(QuartzScheduling.migrationId(context.getJobDetail().getKey()));
    }
}
