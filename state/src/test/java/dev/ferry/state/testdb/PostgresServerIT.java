package dev.ferry.state.testdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresServerIT {

    @Test
    void servesTheCreatedDatabaseOverJdbcWithItsPasswordUser() throws Exception {
        try (PostgresServer server = PostgresServer.start("orders");
                Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
                var statement = connection.createStatement()) {
            assertThat(server.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + server.port() + "/orders");
            statement.execute("CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL)");
            statement.execute("INSERT INTO item VALUES (1, 'ferry'), (2, 'dock')");
            List<String> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery(
                    "SELECT current_database(), current_user, name FROM item ORDER BY id")) {
                while (result.next()) {
                    rows.add(result.getString(1) + "/" + result.getString(2) + "/" + result.getString(3));
                }
            }
            assertThat(rows).containsExactly("orders/ferry/ferry", "orders/ferry/dock");
            try (ResultSet version = statement.executeQuery("SHOW server_version_num")) {
                assertThat(version.next()).isTrue();
                assertThat(Integer.parseInt(version.getString(1))).isGreaterThanOrEqualTo(150000);
            }
        }
    }

    @Test
    void refusesAWrongPassword() {
        try (PostgresServer server = PostgresServer.start()) {
            assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), server.user(), "wrong"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
        }
    }

    @Test
    void createsFurtherDatabasesThatAreSeparate() throws Exception {
        try (PostgresServer server = PostgresServer.start()) {
            String other = server.createDatabase("other_db");
            try (Connection first = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
                    Connection second = DriverManager.getConnection(other, server.user(), server.password())) {
                first.createStatement().execute("CREATE TABLE only_here (x int)");
                assertThatThrownBy(() -> second.createStatement().executeQuery("SELECT * FROM only_here"))
                        .hasMessageContaining("only_here");
            }
        }
    }

    @Test
    void closeStopsTheServerAndDeletesItsFiles() throws Exception {
        PostgresServer server = PostgresServer.start();
        int port = server.port();
        Path directory = server.log().getParent();
        assertThat(accepts(port)).isTrue();
        assertThat(postgresProcessesUsing(directory)).isNotEmpty();

        server.close();

        assertThat(accepts(port)).isFalse();
        assertThat(postgresProcessesUsing(directory)).isEmpty();
        assertThat(Files.exists(directory)).isFalse();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static List<Long> postgresProcessesUsing(Path directory) {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains(directory.toString()))
                .map(ProcessHandle::pid)
                .toList();
    }
}
