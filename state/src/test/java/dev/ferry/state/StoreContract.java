package dev.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.state.event.Event;
import dev.ferry.state.host.Host;
import dev.ferry.state.host.HostSpec;
import dev.ferry.state.host.JumpHost;
import dev.ferry.state.host.SshAuth;
import dev.ferry.state.inventory.StoredInventory;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.migration.MigrationFilter;
import dev.ferry.state.migration.MigrationOptions;
import dev.ferry.state.migration.StaleMigrationException;
import dev.ferry.state.workflow.IllegalTransitionException;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every supported database must do the same way. Subclasses supply a fresh, empty store per test
 * (H2 in {@code StoreOnH2Test}, a real PostgreSQL server in {@code StoreOnPostgresIT}).
 */
public abstract class StoreContract {

    protected static final String FP = "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8";

    protected abstract Store store();

    protected static HostSpec spec(String name) {
        return new HostSpec(name, "192.0.2.7", 2222, "deploy", new SshAuth(dev.ferry.state.host.AuthMethod.KEY,
                "/etc/ferry/keys/id_ed25519", "/etc/ferry/keys/passphrase"), true,
                JumpHost.parse("ops@bastion.example.org:22"), "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", FP, false, Map.of("tier", "web", "dc", "par1"));
    }

    @Test
    void theSchemaIncludesQuartzTables() throws Exception {
        try (var c = store().dataSource().getConnection();
             var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM QRTZ_TRIGGERS")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void aHostIsStoredAndReadBackUnchanged() {
        Host saved = store().inTransaction(tx -> tx.hosts().insert(spec("web1.example.org")));
        Host read = store().inTransaction(tx -> tx.hosts().find(saved.id())).orElseThrow();
        assertThat(read.spec()).isEqualTo(saved.spec());
        assertThat(read.createdAt()).isEqualTo(saved.createdAt());
        var r1 = store().inTransaction(tx -> tx.hosts().findByName("web1.example.org"));
        assertThat(r1).contains(read);
    }

    @Test
    void aSecondHostWithTheSameNameIsRefused() {
        store().useTransaction(tx -> tx.hosts().insert(spec("web1")));
        assertThatThrownBy(() -> store().useTransaction(tx -> tx.hosts().insert(spec("WEB1"))))
                .isInstanceOf(ConflictException.class).hasMessageContaining("already registered");
        var r2 = store().inTransaction(tx -> tx.hosts().list(0, 10)).total();
        assertThat(r2).isEqualTo(1);
    }

    @Test
    void anInvalidHostIsRefusedBeforeAnythingIsWritten() {
        HostSpec bad = new HostSpec("web;id", "192.0.2.7", 22, "root", SshAuth.agent(), false, null, null, FP, false, null);
        assertThatThrownBy(() -> store().useTransaction(tx -> tx.hosts().insert(bad)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("name");
        var r3 = store().inTransaction(tx -> tx.hosts().list(0, 10)).total();
        assertThat(r3).isZero();
    }

    @Test
    void aKeyIsPinnedOnFirstUseOnlyOnce() {
        HostSpec tofu = new HostSpec("web2", "192.0.2.8", 22, "root", SshAuth.agent(), false, null, null, null, true, null);
        long id = store().inTransaction(tx -> tx.hosts().insert(tofu)).id();
        var r4 = store().inTransaction(tx -> tx.hosts().pinHostKey(id, FP));
        assertThat(r4).isTrue();
        var r5 = store().inTransaction(tx -> tx.hosts().pinHostKey(id,
                "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        assertThat(r5).isFalse();
        var r6 = store().inTransaction(tx -> tx.hosts().find(id)).orElseThrow().spec().hostKeyFingerprint();
        assertThat(r6)
                .isEqualTo(FP);
    }

    @Test
    void aMigrationMovesThroughPhasesWithOptimisticLocking() {
        Migration created = store().inTransaction(tx -> {
            Host h = tx.hosts().insert(spec("web3"));
            return tx.migrations().insert(h.id(), h.name(), MigrationOptions.defaults());
        });
        assertThat(created.phase()).isEqualTo(Phase.INVENTORY);
        assertThat(created.status()).isEqualTo(MigrationStatus.SCHEDULED);

        Migration moved = store().inTransaction(tx -> tx.migrations().update(
                created.admit(Instant.parse("2026-01-01T00:00:00Z")).enterPhase(Phase.PLAN, Instant.parse("2026-01-01T00:00:00Z"), false)));
        assertThat(moved.version()).isEqualTo(created.version() + 1);
        assertThat(moved.admittedPhase()).isEqualTo(Phase.PLAN);
        var r7 = store().inTransaction(tx -> tx.migrations().find(created.id())).orElseThrow();
        assertThat(r7)
                .isEqualTo(moved);

        // Writing from the stale copy loses against the newer version.
        assertThatThrownBy(() -> store().inTransaction(tx -> tx.migrations().update(
                created.withStatus(MigrationStatus.PAUSED, null, null))))
                .isInstanceOf(StaleMigrationException.class);
        assertThatThrownBy(() -> moved.enterPhase(Phase.INVENTORY, Instant.now(), false))
                .isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void listingsFilterByStatusAndPhaseAndPage() {
        store().useTransaction(tx -> {
            Host h = tx.hosts().insert(spec("web4"));
            for (int i = 0; i < 5; i++) {
                Migration m = tx.migrations().insert(h.id(), h.name(), MigrationOptions.defaults());
                if (i % 2 == 0) {
                    tx.migrations().update(m.withStatus(MigrationStatus.PAUSED, null, null));
                }
            }
        });
        Page<Migration> paused = store().inTransaction(tx -> tx.migrations().list(
                new MigrationFilter(MigrationStatus.PAUSED, Phase.INVENTORY, null), 1, 1));
        assertThat(paused.total()).isEqualTo(3);
        assertThat(paused.items()).hasSize(1);
        var r8 = store().inTransaction(tx -> tx.migrations().active());
        assertThat(r8).hasSize(2);
    }

    @Test
    void aPhaseOutputIsRecordedOnlyOnce() {
        long id = store().inTransaction(tx -> {
            Host h = tx.hosts().insert(spec("web5"));
            return tx.migrations().insert(h.id(), h.name(), MigrationOptions.defaults()).id();
        });
        store().useTransaction(tx -> tx.outputs().insert(id, Phase.INVENTORY, "{\"sites\":3}", "3 sites"));
        assertThatThrownBy(() -> store().useTransaction(
                tx -> tx.outputs().insert(id, Phase.INVENTORY, "{\"sites\":4}", "4 sites")))
                .isInstanceOf(RuntimeException.class);
        var out = store().inTransaction(tx -> tx.outputs().find(id, Phase.INVENTORY)).orElseThrow();
        assertThat(out.document()).isEqualTo("{\"sites\":3}");
        assertThat(out.contentHash()).isEqualTo(Json.sha256("{\"sites\":3}")).hasSize(64);
    }

    @Test
    void checkpointsAreOverwrittenAndRemoved() {
        long id = store().inTransaction(tx -> {
            Host h = tx.hosts().insert(spec("web6"));
            return tx.migrations().insert(h.id(), h.name(), MigrationOptions.defaults()).id();
        });
        store().useTransaction(tx -> tx.checkpoints().put(id, Phase.COPY, "job", "copy-web6-1"));
        store().useTransaction(tx -> tx.checkpoints().put(id, Phase.COPY, "job", "copy-web6-2"));
        var r9 = store().inTransaction(tx -> tx.checkpoints().get(id, Phase.COPY, "job"));
        assertThat(r9).contains("copy-web6-2");
        store().useTransaction(tx -> tx.checkpoints().remove(id, Phase.COPY, "job"));
        var r10 = store().inTransaction(tx -> tx.checkpoints().get(id, Phase.COPY, "job"));
        assertThat(r10).isEmpty();
    }

    @Test
    void eventsComeBackInOrderWithTheirDetails() {
        long[] ids = store().inTransaction(tx -> {
            Host h = tx.hosts().insert(spec("web7"));
            long m = tx.migrations().insert(h.id(), h.name(), MigrationOptions.defaults()).id();
            return new long[] {h.id(), m};
        });
        store().useTransaction(tx -> {
            for (int i = 0; i < 5; i++) {
                tx.events().append(ids[1], ids[0], Phase.COPY, "copy.progress", "copied " + i,
                        Map.of("files", i, "rate", "1 MB/s"));
            }
            tx.events().append(null, ids[0], null, "host.key-pinned", "x".repeat(5000), null);
        });
        List<Event> events = store().inTransaction(tx -> tx.events().forMigration(ids[1], 0, 100));
        assertThat(events).extracting(Event::message).containsExactly("copied 0", "copied 1", "copied 2",
                "copied 3", "copied 4");
        assertThat(events.get(3).details()).containsEntry("files", 3).containsEntry("rate", "1 MB/s");
        var r11 = store().inTransaction(tx -> tx.events().forMigration(ids[1], events.get(2).id(), 100));
        assertThat(r11)
                .hasSize(2);
        List<Event> hostEvents = store().inTransaction(tx -> tx.events().forHost(ids[0], 0, 100));
        assertThat(hostEvents).hasSize(6);
        assertThat(hostEvents.get(5).message()).hasSize(4000).endsWith("...");
    }

    @Test
    void theLatestInventoryOfAHostIsServedAndGoesWithTheHost() {
        Host host = store().inTransaction(tx -> tx.hosts().insert(spec("web1")));
        Instant t = Instant.parse("2026-11-25T08:00:00.123456789Z");
        store().useTransaction(tx -> {
            tx.inventories().insert(host.id(), null, t, true, 0, "{\"n\":1}");
            tx.inventories().insert(host.id(), null, t.plusSeconds(60), false, 2, "{\"n\":2}");
            tx.inventories().insert(host.id(), null, t.minusSeconds(60), true, 0, "{\"n\":0}");
        });
        var latest = store().inTransaction(tx -> tx.inventories().latest(host.id())).orElseThrow();
        assertThat(latest.document()).isEqualTo("{\"n\":2}");
        assertThat(latest.complete()).isFalse();
        assertThat(latest.warnings()).isEqualTo(2);
        assertThat(latest.collectedAt()).isEqualTo(Instant.parse("2026-11-25T08:01:00.123456Z"));
        assertThat(latest.contentHash()).isEqualTo(Json.sha256("{\"n\":2}"));
        store().useTransaction(tx -> tx.hosts().delete(host.id()));
        Optional<StoredInventory> gone = store().inTransaction(tx -> tx.inventories().latest(host.id()));
        assertThat(gone).isEmpty();
    }

    @Test
    void aFailedTransactionLeavesNothingBehind() {
        assertThatThrownBy(() -> store().useTransaction(tx -> {
            tx.hosts().insert(spec("web8"));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        var r12 = store().inTransaction(tx -> tx.hosts().findByName("web8"));
        assertThat(r12).isEmpty();
    }
}
