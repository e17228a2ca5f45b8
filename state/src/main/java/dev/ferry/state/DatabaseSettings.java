package dev.ferry.state;

import java.nio.file.Path;

/**
 * Where the state store lives. The default is an embedded H2 file under the data directory; a
 * {@code jdbc:postgresql:} URL selects PostgreSQL, for several daemons sharing one database.
 *
 * @param url      JDBC URL
 * @param user     database user (may be empty for H2)
 * @param password database password (never logged)
 * @param maxPool  connections in the pool, shared by Ferry and Quartz
 */
public record DatabaseSettings(String url, String user, String password, int maxPool) {

    public static DatabaseSettings h2In(Path dataDir) {
        // WRITE_DELAY=0: a commit is on disk before the next step starts, so a killed daemon loses nothing
        // it reported as done. retry: H2 re-opens its file when a thread is interrupted while writing (Quartz
        // interrupts its own threads when it shuts down); a plain FileChannel would close for good, and every
        // later statement fail with "the database has been closed".
        return new DatabaseSettings("jdbc:h2:retry:" + dataDir.toAbsolutePath().normalize().resolve("ferry")
                + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000", "sa", "", 10);
    }

    public Vendor vendor() {
        if (url.startsWith("jdbc:h2:")) {
            return Vendor.H2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return Vendor.POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported database URL (use jdbc:h2: or jdbc:postgresql:): "
                + url.replaceAll("password=[^&;]*", "password=***"));
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", user=" + user + ", maxPool=" + maxPool + "]";
    }

    /** The databases Ferry supports. */
    public enum Vendor {
        H2("h2"), POSTGRESQL("postgresql");

        private final String folder;

        Vendor(String folder) {
            this.folder = folder;
        }

        /** Where this database's own schema scripts live, under db/migration. */
        public String folder() {
            return folder;
        }
    }
}
