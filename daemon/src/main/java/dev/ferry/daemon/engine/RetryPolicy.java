package dev.ferry.daemon.engine;

import java.time.Duration;

/**
 * How the engine retries a step that failed in a way worth retrying: exponential backoff from
 * {@code initial}, multiplied by {@code multiplier} per attempt, capped at {@code max}, at most
 * {@code maxAttempts} attempts per phase.
 */
public record RetryPolicy(Duration initial, double multiplier, Duration max, int maxAttempts) {

    public RetryPolicy {
        if (initial.isNegative() || initial.isZero() || multiplier < 1 || max.compareTo(initial) < 0
                || maxAttempts < 1) {
            throw new IllegalArgumentException("retry policy needs initial > 0, multiplier >= 1, max >= initial "
                    + "and maxAttempts >= 1");
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(10), 6);
    }

    /** The pause after attempt {@code failedAttempt} (1-based) failed. */
    public Duration delayAfter(int failedAttempt) {
        double millis = initial.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempt - 1));
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }

    /** Whether another attempt follows attempt {@code failedAttempt}. */
    public boolean allowsAnotherAfter(int failedAttempt) {
        return failedAttempt < maxAttempts;
    }
}
