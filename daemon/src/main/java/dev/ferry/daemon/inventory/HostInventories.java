package dev.ferry.daemon.inventory;

import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.inventory.InventoryCollector;
import dev.ferry.migrations.port.RemoteShells;
import dev.ferry.state.ConflictException;
import dev.ferry.state.Json;
import dev.ferry.state.NotFoundException;
import dev.ferry.state.Store;
import dev.ferry.state.host.Host;
import dev.ferry.state.inventory.StoredInventory;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Inventories taken on an operator's request, outside any migration, and the latest one of each host. A
 * migration's inventory phase stores its document in the same place (the engine does, with the phase's commit).
 */
public final class HostInventories {

    private final Store store;
    private final RemoteShells shells;
    private final Clock clock;
    private final Set<Long> running = ConcurrentHashMap.newKeySet();

    public HostInventories(Store store, RemoteShells shells, Clock clock) {
        this.store = store;
        this.shells = shells;
        this.clock = clock;
    }

    public Optional<StoredInventory> latest(long hostId) {
        return store.inTransaction(tx -> {
            if (tx.hosts().find(hostId).isEmpty()) {
                throw new NotFoundException("no host with id " + hostId);
            }
            return tx.inventories().latest(hostId);
        });
    }

    /**
     * Takes the host's inventory now and keeps it. Connection and host-key failures are thrown as port failures
     * and nothing is stored; failed commands only make the document incomplete.
     */
    public StoredInventory take(long hostId) {
        Host host = store.inTransaction(tx -> tx.hosts().find(hostId))
                .orElseThrow(() -> new NotFoundException("no host with id " + hostId));
        if (!running.add(hostId)) {
            throw new ConflictException("an inventory of host " + host.name() + " is already running");
        }
        try {
            Inventory inventory = new InventoryCollector(clock).collect(host, shells);
            String document = Json.write(inventory);
            return store.inTransaction(tx -> {
                StoredInventory stored = tx.inventories().insert(hostId, null, inventory.collectedAt(),
                        inventory.complete(), inventory.warnings().size(), document);
                tx.events().append(null, hostId, null, "host.inventoried", "inventory of host " + host.name()
                        + " taken" + (inventory.complete() ? "" : " with " + inventory.warnings().size()
                        + " warnings: " + inventory.warnings().getFirst() + (inventory.warnings().size() > 1
                        ? " (and more)" : "")), Map.of("warnings", inventory.warnings().size()));
                return stored;
            });
        } finally {
            running.remove(hostId);
        }
    }
}
