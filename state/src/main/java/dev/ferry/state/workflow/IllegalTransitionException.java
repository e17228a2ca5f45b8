package dev.ferry.state.workflow;

/** A move that {@link Lifecycle} does not allow was attempted; nothing was changed. */
public final class IllegalTransitionException extends RuntimeException {
    public IllegalTransitionException(String message) {
        super(message);
    }
}
