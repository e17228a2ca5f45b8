package dev.ferry.state.inventory;

import dev.ferry.state.Json;
import dev.ferry.state.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Inventory documents of hosts, inside the caller's transaction. */
public final class InventoryRepository {

    private final Handle handle;

    public InventoryRepository(Handle handle) {
        this.handle = handle;
    }

    public StoredInventory insert(long hostId, Long migrationId, Instant collectedAt, boolean complete, int warnings,
                                  String document) {
        String hash = Json.sha256(document);
        long id = handle.createUpdate("""
                        INSERT INTO inventories (host_id, migration_id, collected_at, complete, warnings, document,
                                                 content_hash)
                        VALUES (:host, :migration, :at, :complete, :warnings, :doc, :hash)""")
                .bind("host", hostId)
                .bind("migration", migrationId)
                .bind("at", Sql.timestamp(collectedAt))
                .bind("complete", complete)
                .bind("warnings", warnings)
                .bind("doc", document)
                .bind("hash", hash)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        return new StoredInventory(id, hostId, migrationId, Sql.micros(collectedAt), complete, warnings, document, hash);
    }

    /** The host's most recent inventory; ties on the time go to the later insert. */
    public Optional<StoredInventory> latest(long hostId) {
        return handle.createQuery("""
                        SELECT * FROM inventories WHERE host_id = :host
                        ORDER BY collected_at DESC, id DESC FETCH FIRST 1 ROWS ONLY""")
                .bind("host", hostId).map((rs, ctx) -> map(rs)).findOne();
    }

    private static StoredInventory map(ResultSet rs) throws SQLException {
        long migration = rs.getLong("migration_id");
        return new StoredInventory(rs.getLong("id"), rs.getLong("host_id"), rs.wasNull() ? null : migration,
                Sql.instant(rs, "collected_at"), rs.getBoolean("complete"), rs.getInt("warnings"),
                rs.getString("document"), rs.getString("content_hash"));
    }
}
