package dev.ferry.daemon.api;

import dev.ferry.state.NotFoundException;
import dev.ferry.state.Store;
import dev.ferry.state.ValidationException;
import dev.ferry.state.webhook.Delivery;
import dev.ferry.state.webhook.Webhook;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** {@code /api/v1/webhooks}: endpoints told about phase changes, failures, cutovers and rollbacks. */
final class WebhookRoutes {

    /** The body of {@code POST /api/v1/webhooks}; {@code events} defaults to {@link Webhook#DEFAULT_KINDS}. */
    record WebhookRequest(String url, List<String> events, String secret) {
    }

    /** A webhook as shown: never its secret, except {@code secret} in the answer to its creation. */
    record WebhookView(long id, String url, List<String> events, boolean enabled, Instant createdAt, String secret) {
        static WebhookView of(Webhook w, boolean withSecret) {
            return new WebhookView(w.id(), w.url(), w.kinds(), w.enabled(), w.createdAt(), withSecret ? w.secret() : null);
        }
    }

    private final Store store;
    private final Requests requests;

    WebhookRoutes(Store store, Requests requests) {
        this.store = store;
        this.requests = requests;
    }

    void create(Context ctx) {
        WebhookRequest req = requests.body(ctx, WebhookRequest.class);
        ValidationException.throwIfAny(Webhook.violations(req.url(), req.events(), req.secret()));
        List<String> kinds = req.events() == null ? Webhook.DEFAULT_KINDS : req.events();
        String secret = req.secret() != null ? req.secret() : generatedSecret();
        Webhook w = store.inTransaction(tx -> tx.webhooks().insert(req.url(), kinds, secret));
        ctx.status(201).header("Location", "/api/v1/webhooks/" + w.id()).json(WebhookView.of(w, true));
    }

    void list(Context ctx) {
        ctx.json(store.inTransaction(tx -> tx.webhooks().all()).stream().map(w -> WebhookView.of(w, false)).toList());
    }

    void show(Context ctx) {
        ctx.json(WebhookView.of(find(requests.pathId(ctx, "id")), false));
    }

    void delete(Context ctx) {
        long id = requests.pathId(ctx, "id");
        if (!store.inTransaction(tx -> tx.webhooks().delete(id))) {
            throw new NotFoundException("no webhook with id " + id);
        }
        ctx.status(204);
    }

    /** Newest deliveries first, each with every attempt: when, HTTP status or error, how long. */
    void deliveries(Context ctx) {
        long id = requests.pathId(ctx, "id");
        int limit = requests.intQuery(ctx, "limit", 100, 1, 1000);
        find(id);
        List<Delivery> out = store.inTransaction(tx -> tx.webhooks().deliveries(id, limit));
        ctx.json(out);
    }

    private Webhook find(long id) {
        return store.inTransaction(tx -> tx.webhooks().find(id))
                .orElseThrow(() -> new NotFoundException("no webhook with id " + id));
    }

    private static String generatedSecret() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
