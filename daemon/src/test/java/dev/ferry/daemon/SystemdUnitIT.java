package dev.ferry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shipped unit passes systemd-analyze verify and is rated "OK" or better (exposure 4.0 or lower). */
class SystemdUnitIT {

    @Test
    void theUnitVerifiesAndItsExposureIsAtMostFour() throws Exception {
        Path script = Path.of("..", "systemd", "check-unit.sh").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Matcher m = Pattern.compile("exposure: (\\d+\\.\\d+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isLessThanOrEqualTo(4.0);
        System.out.println(out.strip());
    }
}
