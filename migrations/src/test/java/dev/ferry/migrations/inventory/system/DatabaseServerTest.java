package dev.ferry.migrations.inventory.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.migrations.inventory.Fixtures;
import dev.ferry.migrations.inventory.InventoryParseException;
import org.junit.jupiter.api.Test;

class DatabaseServerTest {

    private static final String VERSION = Fixtures.read("system/mariadbd-version.txt");

    @Test
    void bookwormMyPrintDefaults() {
        DatabaseServer db = DatabaseServer.parse(VERSION, Fixtures.read("system/my_print_defaults.txt"));
        // The socket is set in [client-server], a group this my_print_defaults call does not read.
        assertThat(db).isEqualTo(new DatabaseServer("mariadb", "10.11.19", "127.0.0.1", 3306, null, false));
    }

    @Test
    void bookwormPrintDefaultsOnOneLine() {
        DatabaseServer db = DatabaseServer.parse(VERSION, Fixtures.read("system/mariadbd-print-defaults.txt"));
        assertThat(db).isEqualTo(new DatabaseServer("mariadb", "10.11.19", "127.0.0.1", 3306,
                "/run/mysqld/mysqld.sock", false));
    }

    @Test
    void mysqlWithOverridesAndLooseOptions() {
        DatabaseServer db = DatabaseServer.parse(
                "/usr/sbin/mysqld  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)\n",
                "--port=3307\n--bind_address=0.0.0.0\n--loose-skip-networking\n--port=3308\n");
        assertThat(db).isEqualTo(new DatabaseServer("mysql", "8.0.36", "0.0.0.0", 3308, null, true));
    }

    @Test
    void nothingConfigured() {
        DatabaseServer db = DatabaseServer.parse(
                "mysqld  Ver 10.3.39-MariaDB-0+deb10u1 for debian-linux-gnu on x86_64 (Debian 10)", "");
        assertThat(db).isEqualTo(new DatabaseServer("mariadb", "10.3.39", null, 3306, null, false));
        assertThat(DatabaseServer.parse(VERSION, "--skip-networking=OFF").skipNetworking()).isFalse();
    }

    @Test
    void garbage() {
        assertThatThrownBy(() -> DatabaseServer.parse("bash: mariadbd: command not found", ""))
                .isInstanceOf(InventoryParseException.class).hasMessageStartingWith("mariadbd --version: ");
        assertThatThrownBy(() -> DatabaseServer.parse(VERSION, "[mysqld]\nport=3306\n"))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("not a --option");
        assertThatThrownBy(() -> DatabaseServer.parse(VERSION, "--port=http"))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("--port");
        assertThatThrownBy(() -> DatabaseServer.parse(VERSION, "--bind-address"))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("without a value");
    }
}
