package dev.ferry.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ferry pause|resume|cancel|retry|approve|rollback ID}: one operator action each. */
final class MigrationActions {

    private MigrationActions() {
    }

    abstract static class Action implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "ID", description = "The migration.")
        long id;

        abstract String action();

        @Override
        public Integer call() {
            JsonNode m = client.client().postEmpty("/api/v1/migrations/" + id + "/" + action());
            Output.print(client, m, ProgressLine.render(m, Output.unicode()));
            return 0;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a migration; a running step finishes first.")
    static final class Pause extends Action {
        @Override
        String action() {
            return "pause";
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused migration.")
    static final class Resume extends Action {
        @Override
        String action() {
            return "resume";
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a migration (final).")
    static final class Cancel extends Action {
        @Override
        String action() {
            return "cancel";
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, description = "Run a failed migration's failed phase again.")
    static final class Retry extends Action {
        @Override
        String action() {
            return "retry";
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve the cutover of a migration created with --approve-cutover.")
    static final class Approve extends Action {
        @Override
        String action() {
            return "approve";
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Undo a cutover: restore the legacy nginx's configuration and reload it.")
    static final class Rollback extends Action {
        @Override
        String action() {
            return "rollback";
        }
    }
}
