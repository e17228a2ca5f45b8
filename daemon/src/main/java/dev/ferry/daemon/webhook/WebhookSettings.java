package dev.ferry.daemon.webhook;

import java.time.Duration;

/**
 * How deliveries are retried and bounded.
 *
 * @param initial     wait before the second attempt; multiplied by {@code multiplier} each time, up to {@code max}
 * @param maxAttempts attempts before a delivery is given up
 * @param timeout     connect and response time allowed to a receiver
 * @param senders     deliveries in flight at once (a slow receiver holds one, not all)
 */
public record WebhookSettings(Duration initial, double multiplier, Duration max, int maxAttempts, Duration timeout,
        int senders) {

    public Duration delayAfter(int attempt) {
        double millis = initial.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }
}
