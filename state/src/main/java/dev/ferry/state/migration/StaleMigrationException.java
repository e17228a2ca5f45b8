package dev.ferry.state.migration;

/** Someone else changed the migration since it was read (its version moved on); nothing was written. */
public final class StaleMigrationException extends RuntimeException {
    public StaleMigrationException(long id, long expectedVersion) {
        super("migration " + id + " changed since version " + expectedVersion + " was read");
    }
}
