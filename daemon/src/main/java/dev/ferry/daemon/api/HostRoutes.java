package dev.ferry.daemon.api;

import dev.ferry.state.ConflictException;
import dev.ferry.state.NotFoundException;
import dev.ferry.state.Store;
import dev.ferry.state.host.Host;
import dev.ferry.state.host.HostSpec;
import dev.ferry.state.migration.Migration;
import io.javalin.http.Context;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code /api/v1/hosts}: register, list, show and remove legacy hosts. */
final class HostRoutes {

    private final Store store;
    private final Requests requests;

    HostRoutes(Store store, Requests requests) {
        this.store = store;
        this.requests = requests;
    }

    void create(Context ctx) {
        HostSpec spec = requests.body(ctx, HostSpec.class);
        Host host = store.inTransaction(tx -> {
            Host saved = tx.hosts().insert(spec);
            tx.events().append(null, saved.id(), null, "host.registered", "host " + saved.name() + " registered",
                    Map.of("address", saved.spec().address(), "port", saved.spec().port()));
            return saved;
        });
        ctx.status(201).header("Location", "/api/v1/hosts/" + host.id()).json(host);
    }

    void list(Context ctx) {
        int offset = requests.intQuery(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = requests.intQuery(ctx, "limit", 50, 1, 500);
        Requests.page(ctx, store.inTransaction(tx -> tx.hosts().list(offset, limit)));
    }

    void show(Context ctx) {
        long id = requests.pathId(ctx, "id");
        ctx.json(store.inTransaction(tx -> tx.hosts().find(id))
                .orElseThrow(() -> new NotFoundException("no host with id " + id)));
    }

    /** Removes a host with no unfinished migration; the history of its migrations stays. */
    void delete(Context ctx) {
        long id = requests.pathId(ctx, "id");
        store.useTransaction(tx -> {
            Host host = tx.hosts().find(id).orElseThrow(() -> new NotFoundException("no host with id " + id));
            var unfinished = tx.migrations().unfinishedForHost(id);
            if (!unfinished.isEmpty()) {
                throw new ConflictException("host " + host.name() + " has unfinished migrations ("
                        + unfinished.stream().map(Migration::id).map(String::valueOf).collect(Collectors.joining(", "))
                        + "); cancel them before removing the host");
            }
            tx.hosts().delete(id);
            tx.events().append(null, id, null, "host.removed", "host " + host.name() + " removed", Map.of());
        });
        ctx.status(204);
    }
}
