package dev.ferry.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.daemon.DaemonFixture;
import dev.ferry.daemon.engine.ScriptedStep;
import dev.ferry.migrations.step.Step;
import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.Phase;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsIT {

    @TempDir
    Path dir;

    @Test
    void metricsCountStepsByPhaseAndOutcomeAndMigrationsByPhaseAndStatus() throws Exception {
        Map<Phase, Step> steps = new EnumMap<>(Phase.class);
        Lifecycle.PIPELINE.forEach(p -> steps.put(p, ScriptedStep.of("wait:20", "done")));
        steps.put(Phase.BUILD, ScriptedStep.of("retry", "done"));
        try (DaemonFixture d = new DaemonFixture(dir, steps)) {
            long id = d.startMigration(d.registerHost("web1"));
            Instant deadline = Instant.now().plusSeconds(60);
            while (!DaemonFixture.json(d.get("/api/v1/migrations/" + id), 200).get("status").asText().equals("completed")) {
                assertThat(Instant.now()).isBefore(deadline);
                Thread.sleep(100);
            }
            HttpResponse<String> scrape = d.get("/metrics");
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            String text = scrape.body();
            assertThat(text).contains("ferry_step_duration_seconds_count{outcome=\"done\",phase=\"inventory\"} 1");
            assertThat(text).contains("ferry_step_duration_seconds_count{outcome=\"wait\",phase=\"copy\"} 1");
            assertThat(text).contains("ferry_step_duration_seconds_count{outcome=\"retry\",phase=\"build\"} 1");
            assertThat(text).contains("ferry_step_retries_total{phase=\"build\"} 1");
            assertThat(text).contains("ferry_migrations{phase=\"done\",status=\"completed\"} 1");
            assertThat(text).contains("ferry_migrations{phase=\"inventory\",status=\"running\"} 0");
            assertThat(text).contains("ferry_copy_bytes_total 0");

            // Without the token, metrics are refused like the rest of the API.
            HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(d.uri("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void readinessFollowsTheDatabaseAndSchedulerWithoutAToken() throws Exception {
        DaemonFixture d = new DaemonFixture(dir, Map.of());
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(d.uri("/readyz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready");

        try {
            d.ferryd().store().close();
            HttpResponse<String> notReady = http.send(HttpRequest.newBuilder(d.uri("/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        } finally {
            d.close();
        }
    }
}
