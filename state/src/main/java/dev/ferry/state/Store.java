package dev.ferry.state;

import dev.ferry.state.event.EventLog;
import dev.ferry.state.host.HostRepository;
import dev.ferry.state.inventory.InventoryRepository;
import dev.ferry.state.migration.CheckpointRepository;
import dev.ferry.state.migration.MigrationRepository;
import dev.ferry.state.migration.StepOutputRepository;
import dev.ferry.state.webhook.WebhookRepository;
import dev.ferry.state.window.WindowRepository;
import java.time.Clock;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;

/**
 * Ferry's state store. All reads and writes happen in a transaction: {@link #inTransaction} hands the work a
 * {@link Tx} whose repositories share one connection and commit or roll back together.
 */
public final class Store implements AutoCloseable {

    private final Database database;
    private final Clock clock;

    public Store(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public static Store open(DatabaseSettings settings, Clock clock) {
        return new Store(Database.open(settings), clock);
    }

    public <R> R inTransaction(Function<Tx, R> work) {
        return database.jdbi().inTransaction(handle -> work.apply(new Tx(handle, clock)));
    }

    public void useTransaction(java.util.function.Consumer<Tx> work) {
        database.jdbi().useTransaction(handle -> work.accept(new Tx(handle, clock)));
    }

    /** Whether the database answers a query now (for readiness). */
    public boolean ping() {
        try {
            return database.jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The pool Quartz's job store shares, so its tables live in the same database. */
    public DataSource dataSource() {
        return database.dataSource();
    }

    public DatabaseSettings.Vendor vendor() {
        return database.vendor();
    }

    public Clock clock() {
        return clock;
    }

    @Override
    public void close() {
        database.close();
    }

    /** The repositories of one transaction. */
    public static final class Tx {
        private final HostRepository hosts;
        private final MigrationRepository migrations;
        private final StepOutputRepository outputs;
        private final CheckpointRepository checkpoints;
        private final EventLog events;
        private final WindowRepository windows;
        private final WebhookRepository webhooks;
        private final InventoryRepository inventories;

        Tx(Handle handle, Clock clock) {
            this.hosts = new HostRepository(handle, clock);
            this.migrations = new MigrationRepository(handle, clock);
            this.outputs = new StepOutputRepository(handle, clock);
            this.checkpoints = new CheckpointRepository(handle, clock);
            this.events = new EventLog(handle, clock);
            this.windows = new WindowRepository(handle, clock);
            this.webhooks = new WebhookRepository(handle, clock);
            this.inventories = new InventoryRepository(handle);
        }

        public HostRepository hosts() {
            return hosts;
        }

        public MigrationRepository migrations() {
            return migrations;
        }

        public StepOutputRepository outputs() {
            return outputs;
        }

        public CheckpointRepository checkpoints() {
            return checkpoints;
        }

        public EventLog events() {
            return events;
        }

        public WindowRepository windows() {
            return windows;
        }

        public WebhookRepository webhooks() {
            return webhooks;
        }

        public InventoryRepository inventories() {
            return inventories;
        }
    }
}
