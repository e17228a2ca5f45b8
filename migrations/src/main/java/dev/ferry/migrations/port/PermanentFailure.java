package dev.ferry.migrations.port;

/** A failure that another attempt will not fix: a changed host key, a refused login, an invalid object. */
public final class PermanentFailure extends PortFailure {
    public PermanentFailure(String message, Throwable cause) {
        super(message, cause);
    }

    public PermanentFailure(String message) {
        super(message, null);
    }
}
