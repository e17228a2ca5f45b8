package dev.ferry.migrations.port;

/**
 * A failure an adapter has classified: worth another attempt ({@link TransientFailure}) or not
 * ({@link PermanentFailure}). Only the engine retries, by its policy.
 */
public abstract sealed class PortFailure extends RuntimeException permits TransientFailure, PermanentFailure {
    protected PortFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
