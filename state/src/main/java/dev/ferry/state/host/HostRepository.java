package dev.ferry.state.host;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ferry.state.ConflictException;
import dev.ferry.state.Json;
import dev.ferry.state.Page;
import dev.ferry.state.Sql;
import dev.ferry.state.ValidationException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Registered hosts, read and written inside the caller's transaction. */
public final class HostRepository {

    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() { };

    private final Handle handle;
    private final Clock clock;

    public HostRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    /** Stores a valid spec under a name not yet taken; refuses anything else before writing. */
    public Host insert(HostSpec spec) {
        ValidationException.throwIfAny(spec.violations());
        if (findByName(spec.name()).isPresent()) {
            throw new ConflictException("a host named '" + spec.name() + "' is already registered");
        }
        Instant now = Sql.now(clock);
        long id = handle.createUpdate("""
                        INSERT INTO hosts (name, address, port, ssh_user, auth_method, key_path, passphrase_file,
                            use_sudo, jump_host, jump_host_fingerprint, host_key_fingerprint, trust_on_first_use, labels,
                            created_at, updated_at)
                        VALUES (:name, :address, :port, :user, :method, :key, :passphrase, :sudo, :jump, :jumpFingerprint,
                            :fingerprint, :tofu, :labels, :now, :now)""")
                .bind("name", spec.name())
                .bind("address", spec.address())
                .bind("port", spec.port())
                .bind("user", spec.user())
                .bind("method", spec.auth().method().id())
                .bind("key", spec.auth().keyFile())
                .bind("passphrase", spec.auth().passphraseFile())
                .bind("sudo", spec.sudo())
                .bind("jump", spec.jumpHost() == null ? null : spec.jumpHost().toString())
                .bind("jumpFingerprint", spec.jumpHostKeyFingerprint())
                .bind("fingerprint", spec.hostKeyFingerprint())
                .bind("tofu", spec.trustOnFirstUse())
                .bind("labels", Json.write(spec.labels()))
                .bind("now", Sql.timestamp(now))
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one();
        return new Host(id, spec, now, now);
    }

    public Optional<Host> find(long id) {
        return handle.createQuery("SELECT * FROM hosts WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    public Optional<Host> findByName(String name) {
        return handle.createQuery("SELECT * FROM hosts WHERE name = :name").bind("name", name)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    public Page<Host> list(int offset, int limit) {
        List<Host> items = handle.createQuery("SELECT * FROM hosts ORDER BY id LIMIT :limit OFFSET :offset")
                .bind("limit", limit).bind("offset", offset)
                .map((rs, ctx) -> map(rs)).list();
        long total = handle.createQuery("SELECT COUNT(*) FROM hosts").mapTo(Long.class).one();
        return new Page<>(items, total, offset, limit);
    }

    /** Every host, for label selection in batches. */
    public List<Host> all() {
        return handle.createQuery("SELECT * FROM hosts ORDER BY id").map((rs, ctx) -> map(rs)).list();
    }

    /**
     * Pins the key a host showed on first use. Only a host registered for trust on first use and not yet
     * pinned is changed; the answer says whether this call pinned it.
     */
    public boolean pinHostKey(long id, String fingerprint) {
        HostRules.requireValid("hostKeyFingerprint", fingerprint, HostRules::checkFingerprint);
        return handle.createUpdate("""
                        UPDATE hosts SET host_key_fingerprint = :fp, updated_at = :now
                        WHERE id = :id AND host_key_fingerprint IS NULL AND trust_on_first_use""")
                .bind("fp", fingerprint).bind("now", Sql.timestamp(Sql.now(clock))).bind("id", id)
                .execute() == 1;
    }

    public boolean delete(long id) {
        return handle.createUpdate("DELETE FROM hosts WHERE id = :id").bind("id", id).execute() == 1;
    }

    private static Host map(ResultSet rs) throws SQLException {
        String jump = rs.getString("jump_host");
        HostSpec spec = new HostSpec(
                rs.getString("name"),
                rs.getString("address"),
                rs.getInt("port"),
                rs.getString("ssh_user"),
                new SshAuth(AuthMethod.fromId(rs.getString("auth_method")), rs.getString("key_path"),
                        rs.getString("passphrase_file")),
                rs.getBoolean("use_sudo"),
                jump == null ? null : JumpHost.parse(jump),
                rs.getString("jump_host_fingerprint"),
                rs.getString("host_key_fingerprint"),
                rs.getBoolean("trust_on_first_use"),
                Json.read(rs.getString("labels"), LABELS));
        return new Host(rs.getLong("id"), spec, Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }
}
