package dev.ferry.daemon.api;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Every row of Ferry's tables and of the migration jobs' Quartz tables, as text, for checking that a refused
 * request changed nothing. The reconciler's own timer is left out: it moves on by itself.
 */
final class DatabaseSnapshot {

    private static final List<String> QUERIES = List.of(
            "SELECT * FROM hosts ORDER BY id",
            "SELECT * FROM migrations ORDER BY id",
            "SELECT * FROM step_outputs ORDER BY migration_id, phase",
            "SELECT * FROM checkpoints ORDER BY migration_id, phase, name",
            "SELECT * FROM events ORDER BY id",
            "SELECT * FROM QRTZ_JOB_DETAILS WHERE JOB_GROUP = 'migrations' ORDER BY JOB_NAME",
            "SELECT * FROM QRTZ_TRIGGERS WHERE TRIGGER_GROUP = 'migrations' ORDER BY TRIGGER_NAME");

    private DatabaseSnapshot() {
    }

    static Map<String, List<String>> of(DataSource ds) throws SQLException {
        Map<String, List<String>> out = new TreeMap<>();
        try (Connection c = ds.getConnection()) {
            for (String q : QUERIES) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = c.createStatement().executeQuery(q)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= columns; i++) {
                            Object v = rs.getObject(i);
                            if (v instanceof java.sql.Blob blob) {
                                v = blob.getBytes(1, (int) blob.length());
                            }
                            row.append(rs.getMetaData().getColumnName(i)).append('=')
                                    .append(v instanceof byte[] b ? java.util.Arrays.toString(b) : v).append(' ');
                        }
                        rows.add(row.toString());
                    }
                }
                out.put(q, rows);
            }
        }
        return out;
    }
}
