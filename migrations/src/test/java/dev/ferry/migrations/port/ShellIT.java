package dev.ferry.migrations.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class ShellIT {

    /** What a real sh makes of a quoted word: it must get back exactly the original, whatever it holds. */
    static String echoedBySh(String word) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", "printf '%s' " + Shell.quote(word)).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    @Test
    void hostileWordsReachTheCommandUnchanged() throws Exception {
        for (String hostile : List.of("it's", "$(reboot)", "`id`", "a; rm -rf /", "-rf", "\"quoted\"", "back\\slash",
                "new\nline", "*", "~root", "${HOME}", "'", "''", "")) {
            assertThat(echoedBySh(hostile)).as(hostile).isEqualTo(hostile);
        }
    }

    @Property(tries = 200)
    void anyPrintableOrControlWordRoundTripsThroughSh(@ForAll @StringLength(max = 40)
            @CharRange(from = '\u0001', to = '\u007f') String word) throws Exception {
        assertThat(echoedBySh(word)).isEqualTo(word);
    }

    @Test
    void nulIsRefused() {
        assertThatThrownBy(() -> Shell.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void argvIsJoinedWordByWord() {
        assertThat(Shell.join(List.of("find", "/var/www/my site", "-name", "*.php")))
                .isEqualTo("'find' '/var/www/my site' '-name' '*.php'");
    }
}
