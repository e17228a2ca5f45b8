package dev.ferry.state;

/** The request is well formed but clashes with the current state (a duplicate name, a busy host). */
public final class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message);
    }
}
