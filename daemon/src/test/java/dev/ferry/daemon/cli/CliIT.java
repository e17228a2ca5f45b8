package dev.ferry.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.daemon.DaemonFixture;
import dev.ferry.daemon.engine.ScriptedStep;
import dev.ferry.migrations.step.Step;
import dev.ferry.state.Json;
import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.Phase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI client against a real in-process ferryd: output, and exit codes a script can rely on. */
class CliIT {

    static final String FP = "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8";

    record Run(int exit, String out, String err) {
    }

    @TempDir
    Path dir;
    DaemonFixture daemon;
    Path tokenFile;

    @BeforeEach
    void start() throws Exception {
        Map<Phase, Step> steps = new EnumMap<>(Phase.class);
        Lifecycle.PIPELINE.forEach(p -> steps.put(p, ScriptedStep.of("done")));
        steps.put(Phase.COPY, ScriptedStep.of("wait:300", "wait:300", "wait:300", "wait:300", "wait:300", "done"));
        daemon = new DaemonFixture(dir.resolve("data"), steps);
        tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, DaemonFixture.TOKEN + "\n");
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    Run ferry(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--url")) {
            all.addAll(List.of("--url", daemon.uri("").toString(), "--token-file", tokenFile.toString()));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = FerryCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void hostsAreAddedListedShownAndRemoved() throws Exception {
        Run added = ferry("hosts", "add", "web1", "--address", "192.0.2.10", "--user", "deploy", "--sudo",
                "--key", "/etc/ferry/keys/web1", "--fingerprint", FP, "--label", "tier=web");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out()).contains("host web1 registered as #1");

        Run list = ferry("hosts", "list");
        assertThat(list.out()).contains("web1").contains("deploy@192.0.2.10:22").contains("tier");

        Run shown = ferry("hosts", "show", "web1", "--output", "json");
        JsonNode host = Json.mapper().readTree(shown.out());
        assertThat(host.at("/auth/keyFile").asText()).isEqualTo("/etc/ferry/keys/web1");

        assertThat(ferry("hosts", "rm", "web1").exit()).isZero();
        Run gone = ferry("hosts", "show", "web1");
        assertThat(gone.exit()).isEqualTo(4);
        assertThat(gone.err()).contains("no host named 'web1'");
    }

    @Test
    void aMigrationIsStartedFollowedAndActedOn() throws Exception {
        ferry("hosts", "add", "web2", "--address", "192.0.2.11", "--user", "root", "--trust-on-first-use");
        Run migrate = ferry("migrate", "web2");
        assertThat(migrate.exit()).as(migrate.err()).isZero();
        assertThat(migrate.out()).contains("migration #1 of web2 created");

        // It reaches the copy, which waits a while.
        Instant deadline = Instant.now().plusSeconds(30);
        while (!ferry("status", "1").out().contains("copy ▶") && !ferry("status", "1").out().contains("copy [>]")) {
            assertThat(Instant.now()).isBefore(deadline);
            Thread.sleep(100);
        }
        Run status = ferry("status");
        assertThat(status.out()).contains("web2").containsPattern("inventory (✔|\\[x\\])").contains("waiting");

        Run paused = ferry("pause", "1");
        assertThat(paused.exit()).isZero();
        assertThat(paused.out()).contains("paused");
        Run refused = ferry("retry", "1");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("Not allowed in this state").contains("only a failed migration can be retried");
        assertThat(ferry("resume", "1").exit()).isZero();

        Run watched = ferry("status", "1", "--watch");
        assertThat(watched.exit()).isZero();
        assertThat(watched.out()).contains("completed");

        Run events = ferry("events", "1", "--follow");
        assertThat(events.exit()).isZero();
        assertThat(events.out()).contains("migration.created").contains("operator.paused").contains("migration.completed");
    }

    @Test
    void exitCodesSayWhatWentWrong() throws Exception {
        Run usage = ferry("migrate");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("name hosts, or give --selector");

        Run badTime = ferry("migrate", "web1", "--at", "tomorrow");
        assertThat(badTime.exit()).isEqualTo(2);

        Run missing = ferry("events", "999");
        assertThat(missing.exit()).isEqualTo(4);

        Run invalid = ferry("hosts", "add", "bad;name", "--address", "192.0.2.1", "--user", "root", "--trust-on-first-use");
        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(invalid.err()).contains("Invalid input").contains("name: must be an RFC 1123 host name");

        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Run unreachable = ferry("hosts", "list", "--url", "http://127.0.0.1:" + closedPort, "--token-file", tokenFile.toString());
        assertThat(unreachable.exit()).isEqualTo(3);
        assertThat(unreachable.err()).contains("cannot reach ferryd");

        Files.writeString(tokenFile, "wrong-token-0123456789");
        Run wrongToken = ferry("hosts", "list");
        assertThat(wrongToken.exit()).isEqualTo(2);
        assertThat(wrongToken.err()).contains("not valid");
    }
}
