package dev.ferry.state;

/** What was asked for does not exist (an unknown host or migration id). */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
