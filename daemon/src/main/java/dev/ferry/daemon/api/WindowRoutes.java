package dev.ferry.daemon.api;

import dev.ferry.daemon.engine.WindowSchedule;
import dev.ferry.state.ConflictException;
import dev.ferry.state.NotFoundException;
import dev.ferry.state.Store;
import dev.ferry.state.ValidationException;
import dev.ferry.state.Violation;
import dev.ferry.state.window.Window;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** {@code /api/v1/windows}: named maintenance windows that user-facing phases wait for. */
final class WindowRoutes {

    /** The body of {@code POST /api/v1/windows}. */
    record WindowRequest(String name, String cron, Long durationMinutes, String timeZone) {
    }

    /** A window with whether it is open now and when it opens next. */
    record WindowView(String name, String cron, long durationMinutes, String timeZone, Instant createdAt,
            boolean open, List<Instant> nextOpenings) {
    }

    private final Store store;
    private final Requests requests;

    WindowRoutes(Store store, Requests requests) {
        this.store = store;
        this.requests = requests;
    }

    void create(Context ctx) {
        WindowRequest req = requests.body(ctx, WindowRequest.class);
        Duration duration = req.durationMinutes() == null ? null : Duration.ofMinutes(req.durationMinutes());
        String zone = req.timeZone() == null ? "UTC" : req.timeZone();
        Window candidate = new Window(req.name(), req.cron(), duration, zone, null);
        List<Violation> violations = new java.util.ArrayList<>(candidate.violations());
        if (violations.stream().noneMatch(v -> v.field().equals("cron") || v.field().equals("timeZone"))) {
            try {
                WindowSchedule.of(req.cron(), Duration.ofMinutes(1), zone);
            } catch (IllegalArgumentException e) {
                violations.add(new Violation("cron", e.getMessage()));
            }
        }
        ValidationException.throwIfAny(violations);
        Window saved = store.inTransaction(tx -> tx.windows().insert(req.name(), req.cron(), duration, zone));
        ctx.status(201).header("Location", "/api/v1/windows/" + saved.name()).json(view(saved));
    }

    void list(Context ctx) {
        ctx.json(store.inTransaction(tx -> tx.windows().all()).stream().map(this::view).toList());
    }

    void show(Context ctx) {
        ctx.json(view(find(ctx.pathParam("name"))));
    }

    /** Refused while an unfinished migration still uses the window. */
    void delete(Context ctx) {
        String name = ctx.pathParam("name");
        store.useTransaction(tx -> {
            tx.windows().find(name).orElseThrow(() -> new NotFoundException("no window named '" + name + "'"));
            String users = tx.migrations().active().stream()
                    .filter(m -> name.equals(m.options().window()))
                    .map(m -> Long.toString(m.id())).collect(Collectors.joining(", "));
            if (!users.isEmpty()) {
                throw new ConflictException("window '" + name + "' is used by unfinished migrations " + users);
            }
            tx.windows().delete(name);
        });
        ctx.status(204);
    }

    private Window find(String name) {
        return store.inTransaction(tx -> tx.windows().find(name))
                .orElseThrow(() -> new NotFoundException("no window named '" + name + "'"));
    }

    private WindowView view(Window w) {
        WindowSchedule schedule = WindowSchedule.of(w);
        Instant now = store.clock().instant();
        return new WindowView(w.name(), w.cron(), w.duration().toMinutes(), w.timeZone(), w.createdAt(),
                schedule.isOpen(now), schedule.openings(now, 3));
    }
}
