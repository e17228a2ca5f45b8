package dev.ferry.migrations.port;

import java.time.Duration;
import java.util.Objects;

/**
 * A command for a {@link RemoteShell}: a POSIX {@code sh} script. Anything in it that comes from a user or from
 * a legacy host (paths, names) must be quoted with {@link Shell#quote}; the constants are the caller's.
 *
 * @param name       a short stable name for logs and metrics ({@code nginx-T}), never the script itself
 * @param script     the sh script
 * @param privileged run as root: through {@code sudo -n} when the host's login is not root
 * @param timeout    how long it may run; null for the adapter's default
 */
public record RemoteCommand(String name, String script, boolean privileged, Duration timeout) {

    public RemoteCommand {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(script, "script");
    }

    public static RemoteCommand of(String name, String script) {
        return new RemoteCommand(name, script, false, null);
    }

    public static RemoteCommand asRoot(String name, String script) {
        return new RemoteCommand(name, script, true, null);
    }

    public RemoteCommand withTimeout(Duration timeout) {
        return new RemoteCommand(name, script, privileged, timeout);
    }
}
