package dev.ferry.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry inventory} refuses bad arguments before connecting anywhere. */
class InventoryCommandTest {

    @TempDir
    Path dir;

    @Test
    void badTargetsAndOptionsAreUsageErrors() throws Exception {
        Path key = Files.writeString(dir.resolve("key"), "not really a key");
        for (String[] args : new String[][] {
                {"inventory", "-i", key.toString(), "root@host:99999"},
                {"inventory", "-i", key.toString(), "root@host:ssh"},
                {"inventory", "-i", key.toString(), "r;id@host"},
                {"inventory", "-i", key.toString(), "root@$(reboot)"},
                {"inventory", "-i", key.toString(), "root@[::1"},
                {"inventory", "-i", key.toString(), "--parallel", "0", "root@host"},
                {"inventory", "-i", dir.resolve("missing").toString(), "root@host"},
                {"inventory", "--passphrase-file", key.toString(), "root@host"}}) {
            OneShot r = OneShot.ferry(args);
            assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(CliFailure.USAGE);
            assertThat(r.err()).startsWith("ferry: ");
            assertThat(r.out()).isEmpty();
        }
        assertThat(OneShot.ferry("inventory", "-i", key.toString(), "root@host:99999").err()).contains("port");
        assertThat(OneShot.ferry("inventory", "-i", key.toString(), "r;id@host").err()).contains("user");
    }
}
