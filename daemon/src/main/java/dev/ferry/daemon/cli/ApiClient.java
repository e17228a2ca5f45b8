package dev.ferry.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.state.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** The REST API as the CLI uses it: JSON in, JSON out, problems turned into exit codes and one clear line. */
final class ApiClient {

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    JsonNode post(String path, Object body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "{}" : Json.write(body))));
    }

    JsonNode postEmpty(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    JsonNode delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    private JsonNode send(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new CliFailure(CliFailure.UNREACHABLE, "cannot reach ferryd at " + base + " (is it running?)");
        } catch (HttpTimeoutException e) {
            throw new CliFailure(CliFailure.UNREACHABLE, "ferryd at " + base + " did not answer in time");
        } catch (IOException e) {
            throw new CliFailure(CliFailure.UNREACHABLE, "cannot talk to ferryd at " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(CliFailure.REFUSED, "interrupted");
        }
        int status = response.statusCode();
        if (status == 204 || response.body().isEmpty()) {
            return Json.mapper().nullNode();
        }
        JsonNode body;
        try {
            body = Json.mapper().readTree(response.body());
        } catch (IOException e) {
            body = Json.mapper().getNodeFactory().textNode(response.body());
        }
        if (status >= 400) {
            String detail = body.path("title").asText("HTTP " + status) + ": " + body.path("detail").asText(response.body());
            for (JsonNode error : body.path("errors")) {
                detail += "\n  " + error.path("field").asText() + ": " + error.path("message").asText();
            }
            throw new CliFailure(status == 404 ? CliFailure.NOT_FOUND : status == 401 ? CliFailure.USAGE : CliFailure.REFUSED,
                    detail);
        }
        return body;
    }
}
