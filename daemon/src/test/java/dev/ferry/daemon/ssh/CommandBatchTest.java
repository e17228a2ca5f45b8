package dev.ferry.daemon.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.migrations.port.CommandResult;
import dev.ferry.migrations.port.RemoteCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batch script run by this machine's real sh, and its output read back. */
class CommandBatchTest {

    static byte[] sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        return out;
    }

    @Test
    void eachCommandKeepsItsStatusBytesAndErrorsAndCannotEndTheOthers() throws Exception {
        List<RemoteCommand> commands = List.of(
                RemoteCommand.of("nul", "printf 'a\\0b\\n'; printf 'x' >&2"),
                RemoteCommand.of("exits", "echo before; exit 3; echo after"),
                RemoteCommand.of("utf8", "printf 'caf\\303\\251 --ferry-batch--\\n'"),
                RemoteCommand.of("empty", "true"),
                RemoteCommand.of("stdin", "cat"));
        List<CommandResult> r = CommandBatch.parse(commands, sh(CommandBatch.script(commands)), 1024,
                Duration.ofMillis(50)).orElseThrow();
        assertThat(r).extracting(CommandResult::exitCode).containsExactly(0, 3, 0, 0, 0);
        assertThat(r.get(0).stdout()).isEqualTo("a\0b\n");
        assertThat(r.get(0).stderr()).isEqualTo("x");
        assertThat(r.get(1).stdout()).isEqualTo("before\n");
        assertThat(r.get(2).stdout()).isEqualTo("café --ferry-batch--\n");
        assertThat(r.get(3).stdout()).isEmpty();
        assertThat(r.get(4).stdout()).isEmpty();
        assertThat(r).allMatch(c -> !c.truncated());
    }

    @Test
    void outputBeyondTheBoundIsCutPerCommand() throws Exception {
        List<RemoteCommand> commands = List.of(RemoteCommand.of("big", "head -c 5000 /dev/zero"),
                RemoteCommand.of("small", "echo ok"));
        List<CommandResult> r = CommandBatch.parse(commands, sh(CommandBatch.script(commands)), 1000,
                Duration.ZERO).orElseThrow();
        assertThat(r.get(0).stdout()).hasSize(1000);
        assertThat(r.get(0).truncated()).isTrue();
        assertThat(r.get(1).stdout()).isEqualTo("ok\n");
        assertThat(r.get(1).truncated()).isFalse();
    }

    @Test
    void outputThatIsNotABatchsIsNotGuessedAt() {
        List<RemoteCommand> one = List.of(RemoteCommand.of("a", "true"), RemoteCommand.of("b", "true"));
        for (String garbage : List.of("", "sh: mktemp: not found\n", "1 000.o\n--ferry-batch--\n000 0\n--ferry-batch--\n",
                "0 000.o\n0 000.e\n0 001.o\n0 001.e\n--ferry-batch--\n000 0\n001 0\n--ferry-batch--\nextra")) {
            assertThat(CommandBatch.parse(one, garbage.getBytes(StandardCharsets.UTF_8), 100, Duration.ZERO)).isEmpty();
        }
    }
}
