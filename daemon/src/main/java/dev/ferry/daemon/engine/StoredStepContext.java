package dev.ferry.daemon.engine;

import dev.ferry.migrations.port.Ports;
import dev.ferry.migrations.step.StepContext;
import dev.ferry.state.Json;
import dev.ferry.state.Store;
import dev.ferry.state.host.Host;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.workflow.Phase;
import java.util.Map;
import java.util.Optional;

/** A step's view of its migration, backed by the state store; checkpoints and events commit at once. */
final class StoredStepContext implements StepContext {

    private final Store store;
    private final Migration migration;
    private final Host host;
    private final Ports ports;

    StoredStepContext(Store store, Migration migration, Host host, Ports ports) {
        this.store = store;
        this.migration = migration;
        this.host = host;
        this.ports = ports;
    }

    @Override
    public Migration migration() {
        return migration;
    }

    @Override
    public Host host() {
        return host;
    }

    @Override
    public <T> Optional<T> output(Phase phase, Class<T> type) {
        return store.inTransaction(tx -> tx.outputs().find(migration.id(), phase))
                .map(o -> Json.read(o.document(), type));
    }

    @Override
    public <T> Optional<T> checkpoint(Phase phase, String name, Class<T> type) {
        return store.inTransaction(tx -> tx.checkpoints().get(migration.id(), phase, name))
                .map(v -> Json.read(v, type));
    }

    @Override
    public void saveCheckpoint(String name, Object value) {
        if (name.startsWith(MigrationRunner.ENGINE_CHECKPOINT_PREFIX)) {
            throw new IllegalArgumentException("checkpoint names starting with '"
                    + MigrationRunner.ENGINE_CHECKPOINT_PREFIX + "' belong to the engine");
        }
        store.useTransaction(tx -> tx.checkpoints().put(migration.id(), migration.phase(), name, Json.write(value)));
    }

    @Override
    public void event(String kind, String message, Map<String, ?> details) {
        store.useTransaction(tx -> tx.events().append(migration.id(), migration.hostId(), migration.phase(), kind,
                message, details));
    }

    @Override
    public Ports ports() {
        return ports;
    }
}
