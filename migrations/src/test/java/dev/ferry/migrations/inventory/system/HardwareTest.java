package dev.ferry.migrations.inventory.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.migrations.inventory.Fixtures;
import dev.ferry.migrations.inventory.InventoryParseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HardwareTest {

    @Test
    void nproc() {
        assertThat(Cpus.parse(Fixtures.read("system/nproc.txt"))).isEqualTo(2);
        assertThat(Cpus.parse(" 64\n")).isEqualTo(64);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "-1", "two", "1.5", "nproc: command not found", "99999999999"})
    void nprocGarbage(String output) {
        assertThatThrownBy(() -> Cpus.parse(output)).isInstanceOf(InventoryParseException.class)
                .hasMessageStartingWith("nproc: expected a positive count");
    }

    @Test
    void memTotal() {
        assertThat(Memory.totalBytes(Fixtures.read("system/proc-meminfo.txt"))).isEqualTo(24684092L * 1024);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MemFree: 10 kB\n", "MemTotal: lots\n", "MemTotal:       0 kB\n",
            "MemTotal: 12 MB\n"})
    void memGarbage(String output) {
        assertThatThrownBy(() -> Memory.totalBytes(output)).isInstanceOf(InventoryParseException.class)
                .hasMessageStartingWith("cat /proc/meminfo: ");
    }
}
