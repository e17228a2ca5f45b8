package dev.ferry.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open state database: a connection pool with the schema migrated to the current version by Flyway.
 * Ferry's tables come from {@code db/migration/common}, Quartz's from {@code db/migration/h2} or
 * {@code db/migration/postgresql}.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final DatabaseSettings settings;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(DatabaseSettings settings, HikariDataSource dataSource) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
    }

    public static Database open(DatabaseSettings settings) {
        settings.vendor();
        HikariConfig config = new HikariConfig();
        config.setPoolName("ferry-db");
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.maxPool());
        config.setAutoCommit(true);
        HikariDataSource ds = new HikariDataSource(config);
        try {
            var result = Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration/common", "classpath:db/migration/" + settings.vendor().folder())
                    .load()
                    .migrate();
            LOG.info("state store ready: {} at schema version {}", settings.vendor(), result.targetSchemaVersion);
            return new Database(settings, ds);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    public DatabaseSettings.Vendor vendor() {
        return settings.vendor();
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
