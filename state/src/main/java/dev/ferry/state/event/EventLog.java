package dev.ferry.state.event;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ferry.state.Json;
import dev.ferry.state.Sql;
import dev.ferry.state.workflow.Phase;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** Appends to and reads the event log, inside the caller's transaction. */
public final class EventLog {

    static final int MAX_MESSAGE = 4000;
    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() { };

    private final Handle handle;
    private final Clock clock;

    public EventLog(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    public Event append(Long migrationId, Long hostId, Phase phase, String kind, String message,
            Map<String, ?> details) {
        Instant at = Sql.now(clock);
        String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
        String json = details == null || details.isEmpty() ? null : Json.write(details);
        long id = handle.createUpdate("""
                        INSERT INTO events (migration_id, host_id, at, phase, kind, message, details)
                        VALUES (:migration, :host, :at, :phase, :kind, :message, :details)""")
                .bind("migration", migrationId)
                .bind("host", hostId)
                .bind("at", Sql.timestamp(at))
                .bind("phase", phase == null ? null : phase.id())
                .bind("kind", kind)
                .bind("message", text)
                .bind("details", json)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one();
        return new Event(id, migrationId, hostId, at, phase, kind, text,
                json == null ? Map.of() : Json.mapper().convertValue(details, DETAILS));
    }

    /** A migration's events after {@code afterId} (0: from the start), oldest first. */
    public List<Event> forMigration(long migrationId, long afterId, int limit) {
        return handle.createQuery("""
                        SELECT * FROM events WHERE migration_id = :m AND id > :after ORDER BY id LIMIT :limit""")
                .bind("m", migrationId).bind("after", afterId).bind("limit", limit)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    /** A migration's events of the given kinds, oldest first (phase timings come from these). */
    public List<Event> forMigrationOfKinds(long migrationId, List<String> kinds) {
        return handle.createQuery("SELECT * FROM events WHERE migration_id = :m AND kind IN (<kinds>) ORDER BY id")
                .bind("m", migrationId).bindList("kinds", kinds)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    /**
     * Events for the webhook dispatcher: every one after {@code afterId}, plus every one appended since
     * {@code since} (a transaction may commit an event with a lower id after a higher one was read).
     */
    public List<Event> forDispatch(long afterId, Instant since, int limit) {
        return handle.createQuery("SELECT * FROM events WHERE id > :after OR at >= :since ORDER BY id LIMIT :limit")
                .bind("after", afterId).bind("since", Sql.timestamp(since)).bind("limit", limit)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    public java.util.Optional<Event> find(long id) {
        return handle.createQuery("SELECT * FROM events WHERE id = :id").bind("id", id).map((rs, ctx) -> map(rs)).findOne();
    }

    /** A host's events, including those of its migrations, oldest first. */
    public List<Event> forHost(long hostId, long afterId, int limit) {
        return handle.createQuery("""
                        SELECT * FROM events WHERE host_id = :h AND id > :after ORDER BY id LIMIT :limit""")
                .bind("h", hostId).bind("after", afterId).bind("limit", limit)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    private static Event map(ResultSet rs) throws SQLException {
        String phase = rs.getString("phase");
        String details = rs.getString("details");
        return new Event(rs.getLong("id"), Sql.nullableLong(rs, "migration_id"), Sql.nullableLong(rs, "host_id"),
                Sql.instant(rs, "at"), phase == null ? null : Phase.fromId(phase), rs.getString("kind"),
                rs.getString("message"), details == null ? Map.of() : Json.read(details, DETAILS));
    }
}
