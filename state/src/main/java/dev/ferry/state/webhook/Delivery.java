package dev.ferry.state.webhook;

import java.time.Instant;
import java.util.List;

/**
 * One event to be sent to one webhook, with every attempt so far.
 *
 * @param status        {@code pending}, {@code delivered} or {@code failed} (attempts exhausted, or the webhook
 *                      was disabled)
 * @param nextAttemptAt when it is tried next (pending only)
 */
public record Delivery(long id, long webhookId, long eventId, String status, int attempts, Instant nextAttemptAt,
        Instant createdAt, List<Attempt> history) {

    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";

    /** One try: the HTTP status if there was an answer, else the error. */
    public record Attempt(int attempt, Instant at, Integer httpStatus, String error, long durationMillis) {
    }
}
