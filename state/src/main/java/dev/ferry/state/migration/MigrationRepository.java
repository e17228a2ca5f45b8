package dev.ferry.state.migration;

import dev.ferry.state.Json;
import dev.ferry.state.Page;
import dev.ferry.state.Sql;
import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** Migrations, read and written inside the caller's transaction, with optimistic locking on writes. */
public final class MigrationRepository {

    private static final String ACTIVE_STATUSES = Arrays.stream(MigrationStatus.values())
            .filter(Lifecycle::isActive).map(s -> "'" + s.id() + "'").collect(Collectors.joining(", "));

    private final Handle handle;
    private final Clock clock;

    public MigrationRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    public Migration insert(long hostId, String hostName, MigrationOptions options) {
        Instant now = Sql.now(clock);
        Instant start = options.startAt() == null || options.startAt().isBefore(now) ? now : Sql.micros(options.startAt());
        long id = handle.createUpdate("""
                        INSERT INTO migrations (host_id, host_name, phase, status, attempt, next_run_at, options,
                            created_at, updated_at, version)
                        VALUES (:host, :hostName, :phase, :status, 1, :next, :options, :now, :now, 0)""")
                .bind("host", hostId)
                .bind("hostName", hostName)
                .bind("phase", Lifecycle.PIPELINE.get(0).id())
                .bind("status", MigrationStatus.SCHEDULED.id())
                .bind("next", Sql.timestamp(start))
                .bind("options", Json.write(options))
                .bind("now", Sql.timestamp(now))
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one();
        return new Migration(id, hostId, hostName, Lifecycle.PIPELINE.get(0), MigrationStatus.SCHEDULED, 1, start,
                null, options, now, now, 0, null, null, null);
    }

    public Optional<Migration> find(long id) {
        return handle.createQuery("SELECT * FROM migrations WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    /** Reads the migration and locks its row until the transaction ends, so changes to it queue up. */
    public Optional<Migration> lock(long id) {
        return handle.createQuery("SELECT * FROM migrations WHERE id = :id FOR UPDATE").bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    /**
     * Writes the changed migration if nobody changed it since it was read (same version); returns it with its
     * new version.
     */
    public Migration update(Migration m) {
        Instant now = Sql.now(clock);
        int rows = handle.createUpdate("""
                        UPDATE migrations SET phase = :phase, status = :status, attempt = :attempt,
                            next_run_at = :next, last_error = :error, hold_reason = :hold, held_since = :heldSince,
                            admitted_phase = :admitted, updated_at = :now, version = version + 1
                        WHERE id = :id AND version = :version""")
                .bind("phase", m.phase().id())
                .bind("status", m.status().id())
                .bind("attempt", m.attempt())
                .bind("next", Sql.timestamp(m.nextRunAt()))
                .bind("error", m.lastError())
                .bind("hold", m.holdReason())
                .bind("heldSince", Sql.timestamp(m.heldSince()))
                .bind("admitted", m.admittedPhase() == null ? null : m.admittedPhase().id())
                .bind("now", Sql.timestamp(now))
                .bind("id", m.id())
                .bind("version", m.version())
                .execute();
        if (rows != 1) {
            throw new StaleMigrationException(m.id(), m.version());
        }
        return new Migration(m.id(), m.hostId(), m.hostName(), m.phase(), m.status(), m.attempt(),
                Sql.micros(m.nextRunAt()), m.lastError(), m.options(), m.createdAt(), now, m.version() + 1,
                m.holdReason(), Sql.micros(m.heldSince()), m.admittedPhase());
    }

    public Page<Migration> list(MigrationFilter filter, int offset, int limit) {
        String where = " WHERE 1 = 1"
                + (filter.status() == null ? "" : " AND status = :status")
                + (filter.phase() == null ? "" : " AND phase = :phase")
                + (filter.hostId() == null ? "" : " AND host_id = :host");
        Query items = handle.createQuery("SELECT * FROM migrations" + where
                + " ORDER BY id LIMIT :limit OFFSET :offset");
        Query count = handle.createQuery("SELECT COUNT(*) FROM migrations" + where);
        for (Query q : List.of(items, count)) {
            if (filter.status() != null) {
                q.bind("status", filter.status().id());
            }
            if (filter.phase() != null) {
                q.bind("phase", filter.phase().id());
            }
            if (filter.hostId() != null) {
                q.bind("host", filter.hostId());
            }
        }
        return new Page<>(items.bind("limit", limit).bind("offset", offset).map((rs, ctx) -> map(rs)).list(),
                count.mapTo(Long.class).one(), offset, limit);
    }

    /** Every migration, for counting by phase and status. */
    public List<Migration> all() {
        return handle.createQuery("SELECT * FROM migrations ORDER BY id").map((rs, ctx) -> map(rs)).list();
    }

    /** Migrations the engine must keep moving: every one in an active status. */
    public List<Migration> active() {
        return handle.createQuery("SELECT * FROM migrations WHERE status IN (" + ACTIVE_STATUSES + ") ORDER BY id")
                .map((rs, ctx) -> map(rs)).list();
    }

    /** Takes the admission lock until the transaction ends: admission decisions happen one at a time. */
    public void lockAdmission() {
        handle.createQuery("SELECT name FROM engine_locks WHERE name = 'admission' FOR UPDATE").mapTo(String.class)
                .one();
    }

    /** Migrations of the host that have not reached a final or completed state. */
    public List<Migration> unfinishedForHost(long hostId) {
        return handle.createQuery("""
                        SELECT * FROM migrations WHERE host_id = :host
                        AND status NOT IN ('cancelled', 'completed', 'rolled-back') ORDER BY id""")
                .bind("host", hostId).map((rs, ctx) -> map(rs)).list();
    }

    private static Migration map(ResultSet rs) throws SQLException {
        return new Migration(
                rs.getLong("id"),
                rs.getLong("host_id"),
                rs.getString("host_name"),
                Phase.fromId(rs.getString("phase")),
                MigrationStatus.fromId(rs.getString("status")),
                rs.getInt("attempt"),
                Sql.instant(rs, "next_run_at"),
                rs.getString("last_error"),
                Json.read(rs.getString("options"), MigrationOptions.class),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"),
                rs.getLong("version"),
                rs.getString("hold_reason"),
                Sql.instant(rs, "held_since"),
                rs.getString("admitted_phase") == null ? null : Phase.fromId(rs.getString("admitted_phase")));
    }
}
