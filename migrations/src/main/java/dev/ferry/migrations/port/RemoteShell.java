package dev.ferry.migrations.port;

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

    /** The host key the host showed, as an OpenSSH SHA256 fingerprint. */
    String hostKeyFingerprint();

    @Override
    void close();
}
