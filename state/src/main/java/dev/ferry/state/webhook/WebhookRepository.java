package dev.ferry.state.webhook;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ferry.state.Json;
import dev.ferry.state.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Webhooks, their deliveries and attempts, and the dispatch cursor, inside the caller's transaction. */
public final class WebhookRepository {

    private static final TypeReference<List<String>> KINDS = new TypeReference<>() { };

    private final Handle handle;
    private final Clock clock;

    public WebhookRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    /** A webhook that hears about events appended from now on. */
    public Webhook insert(String url, List<String> kinds, String secret) {
        long after = handle.createQuery("SELECT COALESCE(MAX(id), 0) FROM events").mapTo(Long.class).one();
        Instant now = Sql.now(clock);
        long id = handle.createUpdate("""
                        INSERT INTO webhooks (url, kinds, secret, enabled, after_event_id, created_at)
                        VALUES (:url, :kinds, :secret, TRUE, :after, :now)""")
                .bind("url", url).bind("kinds", Json.write(kinds)).bind("secret", secret).bind("after", after)
                .bind("now", Sql.timestamp(now))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        return new Webhook(id, url, kinds, secret, true, after, now);
    }

    public Optional<Webhook> find(long id) {
        return handle.createQuery("SELECT * FROM webhooks WHERE id = :id").bind("id", id).map((rs, c) -> map(rs)).findOne();
    }

    public List<Webhook> all() {
        return handle.createQuery("SELECT * FROM webhooks ORDER BY id").map((rs, c) -> map(rs)).list();
    }

    public boolean delete(long id) {
        return handle.createUpdate("DELETE FROM webhooks WHERE id = :id").bind("id", id).execute() == 1;
    }

    /** Stops deliveries to a webhook: pending ones fail. */
    public void disable(long id) {
        handle.createUpdate("UPDATE webhooks SET enabled = FALSE WHERE id = :id").bind("id", id).execute();
        handle.createUpdate("""
                        UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL
                        WHERE webhook_id = :id AND status = 'pending'""").bind("id", id).execute();
    }

    public long cursor() {
        return handle.createQuery("SELECT last_event_id FROM webhook_cursor WHERE name = 'dispatch' FOR UPDATE")
                .mapTo(Long.class).one();
    }

    public void moveCursor(long lastEventId) {
        handle.createUpdate("UPDATE webhook_cursor SET last_event_id = :id WHERE name = 'dispatch'")
                .bind("id", lastEventId).execute();
    }

    /** Creates the delivery unless it exists; answers whether it did. */
    public boolean addDelivery(long webhookId, long eventId) {
        boolean exists = handle.createQuery("""
                        SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = :w AND event_id = :e""")
                .bind("w", webhookId).bind("e", eventId).mapTo(Integer.class).one() > 0;
        if (exists) {
            return false;
        }
        Instant now = Sql.now(clock);
        handle.createUpdate("""
                        INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, next_attempt_at, created_at)
                        VALUES (:w, :e, 'pending', 0, :now, :now)""")
                .bind("w", webhookId).bind("e", eventId).bind("now", Sql.timestamp(now)).execute();
        return true;
    }

    /** Pending deliveries due now, oldest first, to enabled webhooks. */
    public List<Delivery> due(int limit) {
        return handle.createQuery("""
                        SELECT d.* FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                        WHERE d.status = 'pending' AND d.next_attempt_at <= :now AND w.enabled
                        ORDER BY d.next_attempt_at, d.id LIMIT :limit""")
                .bind("now", Sql.timestamp(Sql.now(clock))).bind("limit", limit)
                .map((rs, c) -> mapDelivery(rs, List.of())).list();
    }

    /**
     * Takes a due delivery for one sender by moving its next attempt to {@code leaseUntil}; false when another
     * sender (another daemon) took it first.
     */
    public boolean claim(Delivery d, Instant leaseUntil) {
        return handle.createUpdate("""
                        UPDATE webhook_deliveries SET next_attempt_at = :lease
                        WHERE id = :id AND status = 'pending' AND next_attempt_at = :was""")
                .bind("lease", Sql.timestamp(leaseUntil)).bind("id", d.id()).bind("was", Sql.timestamp(d.nextAttemptAt()))
                .execute() == 1;
    }

    /** Records an attempt and what follows: delivered, another try at {@code retryAt}, or failed (null). */
    public void recordAttempt(Delivery d, Delivery.Attempt attempt, String status, Instant retryAt) {
        handle.createUpdate("""
                        INSERT INTO webhook_attempts (delivery_id, attempt, at, http_status, error, duration_ms)
                        VALUES (:d, :n, :at, :http, :error, :ms)""")
                .bind("d", d.id()).bind("n", attempt.attempt()).bind("at", Sql.timestamp(attempt.at()))
                .bind("http", attempt.httpStatus()).bind("error", attempt.error()).bind("ms", attempt.durationMillis())
                .execute();
        handle.createUpdate("""
                        UPDATE webhook_deliveries SET status = :status, attempts = :n, next_attempt_at = :next
                        WHERE id = :id""")
                .bind("status", status).bind("n", attempt.attempt()).bind("next", Sql.timestamp(retryAt))
                .bind("id", d.id()).execute();
    }

    /** A webhook's deliveries, newest first, each with its attempts. */
    public List<Delivery> deliveries(long webhookId, int limit) {
        return handle.createQuery("SELECT * FROM webhook_deliveries WHERE webhook_id = :w ORDER BY id DESC LIMIT :limit")
                .bind("w", webhookId).bind("limit", limit)
                .map((rs, c) -> mapDelivery(rs, attempts(rs.getLong("id")))).list();
    }

    private List<Delivery.Attempt> attempts(long deliveryId) {
        return handle.createQuery("SELECT * FROM webhook_attempts WHERE delivery_id = :d ORDER BY attempt")
                .bind("d", deliveryId)
                .map((rs, c) -> new Delivery.Attempt(rs.getInt("attempt"), Sql.instant(rs, "at"),
                        (Integer) rs.getObject("http_status", Integer.class), rs.getString("error"),
                        rs.getLong("duration_ms")))
                .list();
    }

    private static Webhook map(ResultSet rs) throws SQLException {
        return new Webhook(rs.getLong("id"), rs.getString("url"), Json.read(rs.getString("kinds"), KINDS),
                rs.getString("secret"), rs.getBoolean("enabled"), rs.getLong("after_event_id"),
                Sql.instant(rs, "created_at"));
    }

    private static Delivery mapDelivery(ResultSet rs, List<Delivery.Attempt> history) throws SQLException {
        return new Delivery(rs.getLong("id"), rs.getLong("webhook_id"), rs.getLong("event_id"), rs.getString("status"),
                rs.getInt("attempts"), Sql.instant(rs, "next_attempt_at"), Sql.instant(rs, "created_at"), history);
    }
}
