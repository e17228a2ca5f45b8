package dev.ferry.migrations.port;

import java.util.List;

/**
 * A shell on one legacy host over one connection, reused for every command run through it. The host's key was
 * checked against the pinned fingerprint before any command could run.
 *
 * <p>Failures to connect or to authenticate are thrown when the shell is opened, classified as
 * {@link TransientFailure} or {@link PermanentFailure}; a command that runs and exits non-zero is a
 * {@link CommandResult}, not an exception.
 */
public interface RemoteShell extends AutoCloseable {

    CommandResult run(RemoteCommand command);

    /**
     * Runs independent commands and returns their results in the same order, each with its own exit status and
     * output. An adapter may run them together in one session, which saves a session set-up per command (on a
     * host whose login shell does a lot at start-up, most of the time); by default they run one by one.
     */
    default List<CommandResult> runAll(List<RemoteCommand> commands) {
        return commands.stream().map(this::run).toList();
    }

    /** The host key the host showed, as an OpenSSH SHA256 fingerprint. */
    String hostKeyFingerprint();

    /** That key itself as a known_hosts line has it ({@code ssh-ed25519 AAAA...}), for clients in the cluster. */
    String hostPublicKey();

    @Override
    void close();
}
