package dev.ferry.daemon.cli;

/** Ends a command with an exit code a script can rely on and one line for a person. */
final class CliFailure extends RuntimeException {

    /** The daemon refused the request or failed doing it. */
    static final int REFUSED = 1;
    /** Wrong usage or configuration. */
    static final int USAGE = 2;
    /** The daemon could not be reached. */
    static final int UNREACHABLE = 3;
    /** What was asked for does not exist. */
    static final int NOT_FOUND = 4;

    final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }
}
