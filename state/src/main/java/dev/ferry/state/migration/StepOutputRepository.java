package dev.ferry.state.migration;

import dev.ferry.state.Json;
import dev.ferry.state.Sql;
import dev.ferry.state.workflow.Phase;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Finished phases' outputs, inside the caller's transaction. */
public final class StepOutputRepository {

    private final Handle handle;
    private final Clock clock;

    public StepOutputRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    /**
     * Records a phase's output. The primary key (migration, phase) makes a second completion of the same
     * phase fail the transaction instead of being recorded twice.
     */
    public StepOutput insert(long migrationId, Phase phase, String document, String summary) {
        StepOutput out = new StepOutput(migrationId, phase, document, Json.sha256(document), summary,
                Sql.now(clock));
        handle.createUpdate("""
                        INSERT INTO step_outputs (migration_id, phase, document, content_hash, summary, completed_at)
                        VALUES (:m, :phase, :doc, :hash, :summary, :at)""")
                .bind("m", migrationId)
                .bind("phase", phase.id())
                .bind("doc", document)
                .bind("hash", out.contentHash())
                .bind("summary", summary)
                .bind("at", Sql.timestamp(out.completedAt()))
                .execute();
        return out;
    }

    public Optional<StepOutput> find(long migrationId, Phase phase) {
        return handle.createQuery("SELECT * FROM step_outputs WHERE migration_id = :m AND phase = :phase")
                .bind("m", migrationId).bind("phase", phase.id())
                .map((rs, ctx) -> map(rs)).findOne();
    }

    public List<StepOutput> forMigration(long migrationId) {
        return handle.createQuery("SELECT * FROM step_outputs WHERE migration_id = :m ORDER BY completed_at")
                .bind("m", migrationId).map((rs, ctx) -> map(rs)).list();
    }

    private static StepOutput map(ResultSet rs) throws SQLException {
        return new StepOutput(rs.getLong("migration_id"), Phase.fromId(rs.getString("phase")),
                rs.getString("document"), rs.getString("content_hash"), rs.getString("summary"),
                Sql.instant(rs, "completed_at"));
    }
}
