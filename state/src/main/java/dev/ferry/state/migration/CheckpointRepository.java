package dev.ferry.state.migration;

import dev.ferry.state.Sql;
import dev.ferry.state.workflow.Phase;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Named values a step keeps between its runs within one phase, such as the name of the Job it started.
 * A step saves one before the side effect it names, so a re-run after a crash finds it and re-attaches.
 */
public final class CheckpointRepository {

    private final Handle handle;
    private final Clock clock;

    public CheckpointRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    public Optional<String> get(long migrationId, Phase phase, String name) {
        return handle.createQuery("""
                        SELECT content FROM checkpoints WHERE migration_id = :m AND phase = :phase AND name = :name""")
                .bind("m", migrationId).bind("phase", phase.id()).bind("name", name)
                .mapTo(String.class).findOne();
    }

    public void put(long migrationId, Phase phase, String name, String value) {
        var now = Sql.timestamp(Sql.now(clock));
        // Update-then-insert is portable across H2 and PostgreSQL; a migration's steps never run concurrently.
        int rows = handle.createUpdate("""
                        UPDATE checkpoints SET content = :value, updated_at = :now
                        WHERE migration_id = :m AND phase = :phase AND name = :name""")
                .bind("value", value).bind("now", now)
                .bind("m", migrationId).bind("phase", phase.id()).bind("name", name)
                .execute();
        if (rows == 0) {
            handle.createUpdate("""
                            INSERT INTO checkpoints (migration_id, phase, name, content, updated_at)
                            VALUES (:m, :phase, :name, :value, :now)""")
                    .bind("value", value).bind("now", now)
                    .bind("m", migrationId).bind("phase", phase.id()).bind("name", name)
                    .execute();
        }
    }

    public void remove(long migrationId, Phase phase, String name) {
        handle.createUpdate("DELETE FROM checkpoints WHERE migration_id = :m AND phase = :phase AND name = :name")
                .bind("m", migrationId).bind("phase", phase.id()).bind("name", name).execute();
    }
}
