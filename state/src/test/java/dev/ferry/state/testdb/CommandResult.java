package dev.ferry.state.testdb;

import java.util.List;

/** What an external command did: its exit code and its whole standard output and error, as text. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {
    public CommandResult {
        command = List.copyOf(command);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Returns this result when the command succeeded, else throws naming the command and its output. */
    public CommandResult orThrow() {
        if (!succeeded()) {
            throw new FixtureException(describe());
        }
        return this;
    }

    public String describe() {
        return "command " + command + " exited with " + exitCode
                + (stdout.isBlank() ? "" : "\n--- stdout ---\n" + stdout.strip())
                + (stderr.isBlank() ? "" : "\n--- stderr ---\n" + stderr.strip());
    }
}
