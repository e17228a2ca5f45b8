package dev.ferry.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Conversions between Java values and columns that both H2 and PostgreSQL read the same way. */
public final class Sql {

    private Sql() {
    }

    /** The database keeps microseconds; everything Ferry stores is cut to that first, so reads equal writes. */
    public static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    public static Instant now(java.time.Clock clock) {
        return micros(clock.instant());
    }

    /** Instants travel as UTC {@code TIMESTAMP WITH TIME ZONE}, independent of the JVM's time zone. */
    public static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(micros(instant), ZoneOffset.UTC);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
