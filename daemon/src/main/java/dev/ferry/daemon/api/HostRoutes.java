package dev.ferry.daemon.api;

import dev.ferry.daemon.inventory.HostInventories;
import dev.ferry.migrations.port.PortFailure;
import dev.ferry.state.ConflictException;
import dev.ferry.state.NotFoundException;
import dev.ferry.state.Store;
import dev.ferry.state.host.Host;
import dev.ferry.state.host.HostSpec;
import dev.ferry.state.inventory.StoredInventory;
import dev.ferry.state.migration.Migration;
import io.javalin.http.Context;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code /api/v1/hosts}: register, list, show and remove legacy hosts; their inventories. */
final class HostRoutes {

    private final Store store;
    private final Requests requests;
    private final HostInventories inventories;

    HostRoutes(Store store, Requests requests, HostInventories inventories) {
        this.store = store;
        this.requests = requests;
        this.inventories = inventories;
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

    /** The latest inventory document, as the inventory phase or {@link #takeInventory} produced it. */
    void inventory(Context ctx) {
        long id = requests.pathId(ctx, "id");
        StoredInventory stored = inventories.latest(id).orElseThrow(() -> new NotFoundException(
                "host " + id + " has no inventory yet; POST to /api/v1/hosts/" + id + "/inventory to take one"));
        document(ctx, stored);
    }

    /**
     * Takes the inventory now, synchronously: it takes seconds, and the caller wants the document. A host that
     * cannot be reached or whose key changed answers 502 with the reason; nothing is stored then.
     */
    void takeInventory(Context ctx) {
        long id = requests.pathId(ctx, "id");
        StoredInventory stored;
        try {
            stored = inventories.take(id);
        } catch (PortFailure e) {
            throw new ApiException(502, "host-failure", "The host could not be inventoried", e.getMessage());
        }
        ctx.status(201);
        document(ctx, stored);
    }

    private static void document(Context ctx, StoredInventory stored) {
        ctx.header("ETag", "\"" + stored.contentHash() + "\"")
                .header("X-Inventory-Complete", String.valueOf(stored.complete()))
                .header("X-Inventory-Warnings", String.valueOf(stored.warnings()))
                .contentType("application/json")
                .result(stored.document());
    }
}
