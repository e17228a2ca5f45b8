package dev.ferry.daemon.webhook;

import dev.ferry.state.Json;
import dev.ferry.state.Store;
import dev.ferry.state.event.Event;
import dev.ferry.state.webhook.Delivery;
import dev.ferry.state.webhook.Webhook;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns events into webhook deliveries and sends them. Every second it (1) creates the deliveries new events
 * need, (2) takes due deliveries and posts them on a small pool, recording each attempt and scheduling the
 * next with exponential backoff. A 410 Gone disables the webhook.
 *
 * <p>It runs on a plain scheduled executor, not Quartz: all its state is in the database (deliveries, attempts,
 * the dispatch cursor), so a restart loses nothing, and a Quartz trigger firing every second would only write
 * its own bookkeeping.
 */
public final class WebhookDelivery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);
    /** Events this recent are read again: a transaction can commit an event with an id lower than one already read. */
    static final Duration LOOKBACK = Duration.ofMinutes(2);

    private final Store store;
    private final WebhookSettings settings;
    private final HttpClient http;
    private final ScheduledExecutorService ticker;
    private final ExecutorService senders;

    public WebhookDelivery(Store store, WebhookSettings settings) {
        this.store = store;
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "webhook-ticker"));
        this.senders = Executors.newFixedThreadPool(settings.senders(), r -> daemonThread(r, "webhook-sender"));
    }

    public void start(Duration every) {
        ticker.scheduleWithFixedDelay(this::tick, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    void tick() {
        try {
            dispatch();
            send();
        } catch (RuntimeException e) {
            LOG.warn("webhook delivery round failed: {}", e.toString());
        }
    }

    /** Creates the deliveries new events need, and moves the cursor over events that can no longer appear late. */
    int dispatch() {
        Instant now = store.clock().instant();
        return store.inTransaction(tx -> {
            long cursor = tx.webhooks().cursor();
            List<Webhook> hooks = tx.webhooks().all().stream().filter(Webhook::enabled).toList();
            List<Event> events = tx.events().forDispatch(cursor, now.minus(LOOKBACK), 1000);
            int created = 0;
            long settled = cursor;
            boolean prefix = true;
            for (Event e : events) {
                for (Webhook w : hooks) {
                    if (e.id() > w.afterEventId() && w.wants(e.kind()) && tx.webhooks().addDelivery(w.id(), e.id())) {
                        created++;
                    }
                }
                prefix &= e.at().isBefore(now.minus(LOOKBACK));
                if (prefix && e.id() > settled) {
                    settled = e.id();
                }
            }
            if (settled > cursor) {
                tx.webhooks().moveCursor(settled);
            }
            return created;
        });
    }

    private void send() {
        Instant now = store.clock().instant();
        Instant lease = now.plus(settings.timeout().multipliedBy(2)).plusSeconds(30);
        for (Delivery d : store.inTransaction(tx -> tx.webhooks().due(settings.senders() * 4))) {
            if (store.inTransaction(tx -> tx.webhooks().claim(d, lease))) {
                senders.submit(() -> attempt(d));
            }
        }
    }

    private void attempt(Delivery d) {
        try {
            Webhook w = store.inTransaction(tx -> tx.webhooks().find(d.webhookId())).orElse(null);
            Event e = store.inTransaction(tx -> tx.events().find(d.eventId())).orElse(null);
            if (w == null || e == null || !w.enabled()) {
                return;
            }
            int attempt = d.attempts() + 1;
            byte[] body = Json.write(Map.of("delivery", d.id(), "attempt", attempt, "webhook", w.id(), "event", e))
                    .getBytes(StandardCharsets.UTF_8);
            long timestamp = store.clock().instant().getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(URI.create(w.url()))
                    .timeout(settings.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "ferryd")
                    .header("X-Ferry-Event", e.kind())
                    .header("X-Ferry-Delivery", Long.toString(d.id()))
                    .header("X-Ferry-Timestamp", Long.toString(timestamp))
                    .header("X-Ferry-Signature", WebhookSignature.sign(w.secret(), timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            long started = System.nanoTime();
            Integer status = null;
            String error = null;
            try {
                status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException ex) {
                error = ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            record(d, w, new Delivery.Attempt(attempt, store.clock().instant(), status,
                    error == null ? null : error.substring(0, Math.min(error.length(), 1000)),
                    Duration.ofNanos(System.nanoTime() - started).toMillis()));
        } catch (RuntimeException ex) {
            LOG.warn("webhook delivery {} failed: {}", d.id(), ex.toString());
        }
    }

    private void record(Delivery d, Webhook w, Delivery.Attempt a) {
        boolean ok = a.httpStatus() != null && a.httpStatus() >= 200 && a.httpStatus() < 300;
        boolean gone = a.httpStatus() != null && a.httpStatus() == 410;
        boolean again = !ok && !gone && a.attempt() < settings.maxAttempts();
        String status = ok ? Delivery.DELIVERED : again ? Delivery.PENDING : Delivery.FAILED;
        Instant retryAt = again ? a.at().plus(settings.delayAfter(a.attempt())) : null;
        store.useTransaction(tx -> {
            tx.webhooks().recordAttempt(d, a, status, retryAt);
            if (gone) {
                tx.webhooks().disable(w.id());
                tx.events().append(null, null, null, "webhook.disabled", "webhook " + w.id() + " (" + w.url()
                        + ") answered 410 Gone and was disabled", Map.of("webhook", w.id()));
            }
        });
        if (!ok) {
            LOG.info("webhook {} delivery {} attempt {}: {}{}", w.id(), d.id(), a.attempt(),
                    a.httpStatus() != null ? "HTTP " + a.httpStatus() : a.error(),
                    again ? ", retrying at " + retryAt : ", giving up");
        }
    }

    private static Thread daemonThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Stops without interrupting: an interrupt that reaches a thread while H2 writes its file closes the whole
     * embedded database (ClosedByInterruptException), and everything after it fails. The ticker and the senders
     * finish what they are doing (a send is bounded by the webhook timeout) and take nothing new.
     */
    @Override
    public void close() {
        ticker.shutdown();
        try {
            long wait = settings.timeout().toSeconds() + 5;
            // The ticker hands work to the senders: it stops first, so nothing is handed to stopped senders.
            boolean tickerDone = ticker.awaitTermination(wait, TimeUnit.SECONDS);
            senders.shutdown();
            if (!tickerDone || !senders.awaitTermination(wait, TimeUnit.SECONDS)) {
                LOG.warn("webhook delivery did not stop within {} s; leaving its threads to the JVM's exit", wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
