package dev.ferry.state.window;

import dev.ferry.state.ConflictException;
import dev.ferry.state.Sql;
import dev.ferry.state.ValidationException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Maintenance windows, inside the caller's transaction. */
public final class WindowRepository {

    private final Handle handle;
    private final Clock clock;

    public WindowRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    public Window insert(String name, String cron, Duration duration, String timeZone) {
        Window w = new Window(name, cron == null ? null : cron.strip(), duration, timeZone, Sql.now(clock));
        ValidationException.throwIfAny(w.violations());
        if (find(name).isPresent()) {
            throw new ConflictException("a window named '" + name + "' already exists");
        }
        handle.createUpdate("""
                        INSERT INTO windows (name, cron, duration_seconds, time_zone, created_at)
                        VALUES (:name, :cron, :duration, :zone, :at)""")
                .bind("name", w.name()).bind("cron", w.cron()).bind("duration", w.duration().toSeconds())
                .bind("zone", w.timeZone()).bind("at", Sql.timestamp(w.createdAt()))
                .execute();
        return w;
    }

    public Optional<Window> find(String name) {
        return handle.createQuery("SELECT * FROM windows WHERE name = :name").bind("name", name)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    public List<Window> all() {
        return handle.createQuery("SELECT * FROM windows ORDER BY name").map((rs, ctx) -> map(rs)).list();
    }

    public boolean delete(String name) {
        return handle.createUpdate("DELETE FROM windows WHERE name = :name").bind("name", name).execute() == 1;
    }

    private static Window map(ResultSet rs) throws SQLException {
        return new Window(rs.getString("name"), rs.getString("cron"), Duration.ofSeconds(rs.getLong("duration_seconds")),
                rs.getString("time_zone"), Sql.instant(rs, "created_at"));
    }
}
