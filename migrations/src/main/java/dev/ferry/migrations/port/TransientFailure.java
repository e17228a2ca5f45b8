package dev.ferry.migrations.port;

/** A failure that may go away by itself: a timeout, a refused connection, a conflict on the API server. */
public final class TransientFailure extends PortFailure {
    public TransientFailure(String message, Throwable cause) {
        super(message, cause);
    }

    public TransientFailure(String message) {
        super(message, null);
    }
}
