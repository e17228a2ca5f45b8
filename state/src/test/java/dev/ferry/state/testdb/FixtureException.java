package dev.ferry.state.testdb;

/**
 * A test fixture (a real server started for tests) could not be set up or has failed; the message
 * says what is missing or which daemon failed, with its log. Fixtures throw it instead of skipping.
 */
public final class FixtureException extends RuntimeException {
    public FixtureException(String message) {
        super(message);
    }

    public FixtureException(String message, Throwable cause) {
        super(message, cause);
    }
}
