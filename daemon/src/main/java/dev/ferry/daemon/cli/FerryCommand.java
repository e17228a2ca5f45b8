package dev.ferry.daemon.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ferry}: the one entry point of ferry.jar. */
@Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = FerryCommand.Version.class,
        description = "Migrates legacy LNMP hosts into Kubernetes.",
        subcommands = {DaemonCommand.class, HostsCommand.class, MigrateCommand.class, StatusCommand.class,
                EventsCommand.class, MigrationActions.Pause.class, MigrationActions.Resume.class,
                MigrationActions.Cancel.class, MigrationActions.Retry.class, MigrationActions.Approve.class,
                MigrationActions.Rollback.class, InventoryCommand.class,
                RenderCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:ferryd refused the request or failed doing it (its problem is printed)",
                "2:wrong usage or configuration", "3:ferryd cannot be reached", "4:the host or migration does not exist"})
public final class FerryCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new FerryCommand())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("ferry: " + e.getMessage());
                    cmd.getErr().flush();
                    return e instanceof CliFailure f ? f.exitCode : e instanceof UsageError ? CliFailure.USAGE
                            : CliFailure.REFUSED;
                });
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command, e.g. 'ferry daemon'");
    }

    /** A mistake in how ferry was called or configured: exit code 2. */
    public static final class UsageError extends RuntimeException {
        public UsageError(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FerryCommand.class.getPackage().getImplementationVersion();
            return new String[] {"ferry " + (v == null ? "(development build)" : v)};
        }
    }
}
