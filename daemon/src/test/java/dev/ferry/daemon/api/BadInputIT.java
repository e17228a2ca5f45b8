package dev.ferry.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.daemon.DaemonFixture;
import dev.ferry.daemon.engine.ScriptedStep;
import dev.ferry.state.Json;
import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.Phase;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input to every endpoint is answered with a 4xx problem document and changes nothing in the database
 * (compared row by row before and after).
 */
class BadInputIT {

    static final String VALID_HOST = """
            {"name": "web1", "address": "192.0.2.10", "user": "root",
             "hostKeyFingerprint": "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8"}""";
    static final String MEGABYTE = "{\"name\": \"" + "a".repeat(1024 * 1024) + "\"}";

    @TempDir
    static Path dir;
    static DaemonFixture daemon;
    static long hostId;
    static long migrationId;

    @BeforeAll
    static void start() {
        Map<Phase, dev.ferry.migrations.step.Step> steps = new EnumMap<>(Phase.class);
        Lifecycle.PIPELINE.forEach(p -> steps.put(p, ScriptedStep.of("wait:3600000")));
        daemon = new DaemonFixture(dir, steps);
        hostId = daemon.registerHost("existing");
        migrationId = daemon.startMigration(hostId);
        // Let the first step run and settle into its long wait, so nothing moves during the checks.
        long deadline = System.currentTimeMillis() + 20_000;
        while (!DaemonFixture.json(daemon.get("/api/v1/migrations/" + migrationId), 200).get("status").asText()
                .equals("waiting")) {
            assertThat(System.currentTimeMillis()).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @AfterAll
    static void stop() {
        daemon.close();
    }

    static Arguments call(String name, int status, String method, String path, String contentType, String body) {
        return Arguments.of(Named.of(name, method + " " + path), status, method, path, contentType, body, true);
    }

    static Arguments anonymous(String name, String method, String path, String body) {
        return Arguments.of(Named.of(name, method + " " + path), 401, method, path, "application/json", body, false);
    }

    static Stream<Arguments> badRequests() {
        String json = "application/json";
        String hosts = "/api/v1/hosts";
        String migrations = "/api/v1/migrations";
        return Stream.of(
                call("malformed JSON", 400, "POST", hosts, json, "{\"name\": "),
                call("trailing garbage", 400, "POST", hosts, json, VALID_HOST + " x"),
                call("JSON array instead of object", 400, "POST", hosts, json, "[]"),
                call("JSON null", 400, "POST", hosts, json, "null"),
                call("empty body", 400, "POST", hosts, json, ""),
                call("duplicate key", 400, "POST", hosts, json, VALID_HOST.replace("{", "{\"name\": \"x\", ")),
                call("wrong type: number as name", 400, "POST", hosts, json, VALID_HOST.replace("\"web1\"", "5")),
                call("wrong type: string as port", 400, "POST", hosts, json, VALID_HOST.replace("{", "{\"port\": \"22\", ")),
                call("wrong type: float as port", 400, "POST", hosts, json, VALID_HOST.replace("{", "{\"port\": 22.5, ")),
                call("wrong type: string as sudo", 400, "POST", hosts, json, VALID_HOST.replace("{", "{\"sudo\": \"yes\", ")),
                call("wrong type: labels as list", 400, "POST", hosts, json, VALID_HOST.replace("{", "{\"labels\": [1], ")),
                call("unknown field", 400, "POST", hosts, json, VALID_HOST.replace("{", "{\"nmae\": \"x\", ")),
                call("unknown nested field", 400, "POST", hosts, json,
                        VALID_HOST.replace("{", "{\"auth\": {\"method\": \"agent\", \"password\": \"x\"}, ")),
                call("unknown auth method", 400, "POST", hosts, json,
                        VALID_HOST.replace("{", "{\"auth\": {\"method\": \"password\"}, ")),
                call("bad jump host", 400, "POST", hosts, json, VALID_HOST.replace("{", "{\"jumpHost\": \"x;id\", ")),
                call("one megabyte body", 413, "POST", hosts, json, MEGABYTE),
                call("not JSON content type", 415, "POST", hosts, "text/plain", VALID_HOST),
                call("shell metacharacters: ;", 422, "POST", hosts, json, VALID_HOST.replace("web1", "web1;rm -rf /")),
                call("shell metacharacters: $()", 422, "POST", hosts, json, VALID_HOST.replace("web1", "$(reboot)")),
                call("shell metacharacters: backticks", 422, "POST", hosts, json, VALID_HOST.replace("web1", "`id`")),
                call("shell metacharacters: pipe", 422, "POST", hosts, json, VALID_HOST.replace("web1", "a|nc x 1")),
                call("shell metacharacters: newline", 422, "POST", hosts, json, VALID_HOST.replace("web1", "a\\nb")),
                call("shell metacharacters in address", 422, "POST", hosts, json,
                        VALID_HOST.replace("192.0.2.10", "10.0.0.1 && id")),
                call("shell metacharacters in user", 422, "POST", hosts, json, VALID_HOST.replace("\"root\"", "\"r;id\"")),
                call("relative key path", 422, "POST", hosts, json,
                        VALID_HOST.replace("{", "{\"auth\": {\"method\": \"key\", \"keyFile\": \"id_rsa\"}, ")),
                call("port out of range", 422, "POST", hosts, json, VALID_HOST.replace("{", "{\"port\": 70000, ")),
                call("bad fingerprint", 422, "POST", hosts, json, VALID_HOST.replace("SHA256:nThbg", "MD5:nThbg")),
                call("bad label", 422, "POST", hosts, json, VALID_HOST.replace("{", "{\"labels\": {\"a b\": \"c\"}, ")),
                call("duplicate host name", 409, "POST", hosts, json, VALID_HOST.replace("web1", "existing")),
                call("unknown host id", 404, "GET", hosts + "/999999", null, null),
                call("inventory of an unknown host", 404, "GET", hosts + "/999999/inventory", null, null),
                call("inventory not taken yet", 404, "GET", hosts + "/1/inventory", null, null),
                call("inventory of a bad host id", 400, "GET", hosts + "/x;id/inventory", null, null),
                call("taking the inventory of an unknown host", 404, "POST", hosts + "/999999/inventory", json, ""),
                call("taking the inventory of host 0", 400, "POST", hosts + "/0/inventory", json, ""),
                call("non-numeric host id", 400, "GET", hosts + "/abc", null, null),
                call("negative host id", 400, "GET", hosts + "/-1", null, null),
                call("injected host id", 400, "GET", hosts + "/1%3Bdrop", null, null),
                call("delete unknown host", 404, "DELETE", hosts + "/999999", null, null),
                call("delete host with a running migration", 409, "DELETE", hosts + "/1", null, null),
                call("limit zero", 400, "GET", hosts + "?limit=0", null, null),
                call("limit not a number", 400, "GET", hosts + "?limit=ten", null, null),
                call("negative offset", 400, "GET", hosts + "?offset=-1", null, null),
                call("migration: malformed JSON", 400, "POST", migrations, json, "{hostId: 1}"),
                call("migration: unknown field", 400, "POST", migrations, json, "{\"hostId\": 1, \"force\": true}"),
                call("migration: string host id", 400, "POST", migrations, json, "{\"hostId\": \"1\"}"),
                call("migration: bad start time", 400, "POST", migrations, json, "{\"hostId\": 1, \"startAt\": \"tomorrow\"}"),
                call("migration: missing host id", 422, "POST", migrations, json, "{}"),
                call("migration: unknown host", 422, "POST", migrations, json, "{\"hostId\": 999999}"),
                call("migration: host already migrating", 409, "POST", migrations, json, "{\"hostId\": 1}"),
                call("migration: one megabyte body", 413, "POST", migrations, json, MEGABYTE),
                call("unknown status filter", 400, "GET", migrations + "?status=bogus", null, null),
                call("unknown phase filter", 400, "GET", migrations + "?phase=teleport", null, null),
                call("unknown migration", 404, "GET", migrations + "/999999", null, null),
                call("non-numeric migration id", 400, "GET", migrations + "/x", null, null),
                call("events of unknown migration", 404, "GET", migrations + "/999999/events", null, null),
                call("events with bad cursor", 400, "GET", migrations + "/1/events?after=-5", null, null),
                call("pause unknown migration", 404, "POST", migrations + "/999999/pause", null, null),
                call("resume unknown migration", 404, "POST", migrations + "/999999/resume", null, null),
                call("cancel unknown migration", 404, "POST", migrations + "/999999/cancel", null, null),
                call("retry unknown migration", 404, "POST", migrations + "/999999/retry", null, null),
                call("pause non-numeric id", 400, "POST", migrations + "/abc/pause", null, null),
                call("resume a running migration", 409, "POST", migrations + "/1/resume", null, null),
                call("retry a running migration", 409, "POST", migrations + "/1/retry", null, null),
                call("migration: both hostId and selector", 422, "POST", migrations, json,
                        "{\"hostId\": 1, \"selector\": \"tier=web\"}"),
                call("migration: malformed selector", 422, "POST", migrations, json, "{\"selector\": \"tier in (web\"}"),
                call("migration: selector with shell metacharacters", 422, "POST", migrations, json,
                        "{\"selector\": \"tier=$(id)\"}"),
                call("migration: selector matching nothing", 422, "POST", migrations, json,
                        "{\"selector\": \"tier=nothing\"}"),
                call("migration: unknown window", 422, "POST", migrations, json,
                        "{\"selector\": \"tier=nothing\", \"window\": \"nope\"}"),
                call("migration: bad cluster name", 422, "POST", migrations, json,
                        "{\"hostId\": 1, \"cluster\": \"Prod Cluster\"}"),
                call("window: bad cron", 422, "POST", "/api/v1/windows", json,
                        "{\"name\": \"nights\", \"cron\": \"0 25 * * *\", \"durationMinutes\": 60}"),
                call("window: bad time zone", 422, "POST", "/api/v1/windows", json,
                        "{\"name\": \"nights\", \"cron\": \"0 22 * * *\", \"durationMinutes\": 60, \"timeZone\": \"Mars/Olympus\"}"),
                call("window: bad name", 422, "POST", "/api/v1/windows", json,
                        "{\"name\": \"a;b\", \"cron\": \"0 22 * * *\", \"durationMinutes\": 60}"),
                call("window: zero duration", 422, "POST", "/api/v1/windows", json,
                        "{\"name\": \"nights\", \"cron\": \"0 22 * * *\", \"durationMinutes\": 0}"),
                call("window: string duration", 400, "POST", "/api/v1/windows", json,
                        "{\"name\": \"nights\", \"cron\": \"0 22 * * *\", \"durationMinutes\": \"60\"}"),
                call("window: unknown field", 400, "POST", "/api/v1/windows", json,
                        "{\"name\": \"nights\", \"cron\": \"0 22 * * *\", \"durationMinutes\": 60, \"tz\": \"UTC\"}"),
                call("window: unknown", 404, "GET", "/api/v1/windows/nope", null, null),
                call("window: delete unknown", 404, "DELETE", "/api/v1/windows/nope", null, null),
                call("webhook: not http", 422, "POST", "/api/v1/webhooks", json, "{\"url\": \"file:///etc/passwd\"}"),
                call("webhook: credentials in URL", 422, "POST", "/api/v1/webhooks", json,
                        "{\"url\": \"https://user:pw@example.org/hook\"}"),
                call("webhook: secret too short", 422, "POST", "/api/v1/webhooks", json,
                        "{\"url\": \"https://example.org/hook\", \"secret\": \"short\"}"),
                call("webhook: bad event pattern", 422, "POST", "/api/v1/webhooks", json,
                        "{\"url\": \"https://example.org/hook\", \"events\": [\"phase;rm\"]}"),
                call("webhook: unknown field", 400, "POST", "/api/v1/webhooks", json,
                        "{\"url\": \"https://example.org/hook\", \"retries\": 3}"),
                call("webhook: unknown", 404, "GET", "/api/v1/webhooks/999999", null, null),
                call("webhook: deliveries of unknown", 404, "GET", "/api/v1/webhooks/999999/deliveries", null, null),
                call("webhook: delete unknown", 404, "DELETE", "/api/v1/webhooks/999999", null, null),
                call("wrong method", 405, "PUT", hosts, json, VALID_HOST),
                call("unknown path", 404, "GET", "/api/v1/nothing-here", null, null),
                anonymous("no token: list hosts", "GET", hosts, null),
                anonymous("no token: create host", "POST", hosts, VALID_HOST),
                anonymous("no token: delete host", "DELETE", hosts + "/1", null),
                anonymous("no token: create migration", "POST", migrations, "{\"hostId\": 1}"),
                anonymous("no token: cancel", "POST", migrations + "/1/cancel", null),
                anonymous("no token: inventory", "GET", hosts + "/1/inventory", null),
                anonymous("no token: take inventory", "POST", hosts + "/1/inventory", null),
                anonymous("no token: openapi", "GET", "/api/v1/openapi.yaml", null),
                anonymous("no token: unknown path", "GET", "/api/v1/secret", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRefusedWithAProblemAndChangesNothing(String name, int status, String method, String path,
            String contentType, String body, boolean withToken) throws Exception {
        var before = DatabaseSnapshot.of(daemon.ferryd().store().dataSource());

        HttpRequest.Builder request = HttpRequest.newBuilder(daemon.uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = withToken ? daemon.send(request)
                : java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asText()).startsWith("urn:ferry:problem:");
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank().hasSizeLessThan(2000);
        if (status == 401) {
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"ferryd\"");
        }

        assertThat(DatabaseSnapshot.of(daemon.ferryd().store().dataSource())).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fieldProblems")
    void validationProblemsNameEachField(String body, List<String> fields) throws Exception {
        JsonNode problem = DaemonFixture.json(daemon.post("/api/v1/hosts", body), 422);
        assertThat(problem.get("errors").findValuesAsText("field")).containsExactlyInAnyOrderElementsOf(fields);
    }

    static Stream<Arguments> fieldProblems() {
        return Stream.of(
                Arguments.of("{\"name\": \"a b\", \"address\": \"\", \"user\": \"Root\"}",
                        List.of("name", "address", "user", "hostKeyFingerprint")),
                Arguments.of("{\"name\": \"ok\", \"address\": \"192.0.2.1\", \"user\": \"root\", \"port\": 0, "
                        + "\"trustOnFirstUse\": true}", List.of("port")));
    }
}
