package dev.ferry.migrations.port;

import java.time.Duration;

/**
 * How a remote command ended: its exit status and output. Output beyond the adapter's bound is cut off and
 * {@code truncated} says so; a parser must then treat the document as partial.
 */
public record CommandResult(int exitCode, String stdout, String stderr, boolean truncated, Duration took) {

    public boolean ok() {
        return exitCode == 0;
    }
}
