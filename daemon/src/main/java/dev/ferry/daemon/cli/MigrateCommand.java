package dev.ferry.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ferry migrate HOST... [--at TIME | --window NAME] [--approve-cutover]}, or a batch by {@code --selector}. */
@Command(name = "migrate", mixinStandardHelpOptions = true, description = "Start migrating hosts.")
final class MigrateCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "HOST", arity = "0..*", description = "Host names or ids.")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--selector", paramLabel = "LABELS", description = "Every host these labels select (tier=web,dc in (a,b)).")
    String selector;

    @Option(names = "--at", paramLabel = "TIME", description = "Start no earlier than this (ISO-8601, e.g. 2026-12-05T22:00:00Z).")
    String at;

    @Option(names = "--window", paramLabel = "NAME", description = "Run user-facing phases only in this maintenance window.")
    String window;

    @Option(names = "--approve-cutover", description = "Wait for an explicit approval before cutover.")
    boolean approveCutover;

    @Option(names = "--cluster", paramLabel = "NAME", description = "The target cluster (default: default).")
    String cluster;

    @Override
    public Integer call() {
        if (hosts.isEmpty() == (selector == null)) {
            throw new CliFailure(CliFailure.USAGE, "name hosts, or give --selector, not both");
        }
        ApiClient api = client.client();
        Map<String, Object> options = new LinkedHashMap<>();
        if (at != null) {
            try {
                options.put("startAt", Instant.parse(at).toString());
            } catch (DateTimeParseException e) {
                throw new CliFailure(CliFailure.USAGE, "--at must be an ISO-8601 instant such as 2026-12-05T22:00:00Z");
            }
        }
        if (window != null) {
            options.put("window", window);
        }
        if (approveCutover) {
            options.put("approveCutover", true);
        }
        if (cluster != null) {
            options.put("cluster", cluster);
        }
        if (selector != null) {
            Map<String, Object> body = new LinkedHashMap<>(options);
            body.put("selector", selector);
            JsonNode batch = api.post("/api/v1/migrations", body);
            StringBuilder text = new StringBuilder();
            batch.get("created").forEach(m -> text.append("migration #").append(m.get("id").asLong()).append(" of ")
                    .append(m.get("hostName").asText()).append(" created\n"));
            batch.get("skipped").forEach(s -> text.append(s.get("hostName").asText()).append(" skipped: ")
                    .append(s.get("reason").asText()).append('\n'));
            Output.print(client, batch, text.toString().stripTrailing());
            return 0;
        }
        List<JsonNode> created = new ArrayList<>();
        for (String host : hosts) {
            Map<String, Object> body = new LinkedHashMap<>(options);
            body.put("hostId", Hosts.id(api, host));
            JsonNode m = api.post("/api/v1/migrations", body);
            created.add(m);
            if (!client.json()) {
                client.out().println("migration #" + m.get("id").asLong() + " of " + m.get("hostName").asText()
                        + " created (" + m.get("status").asText() + ")");
            }
        }
        if (client.json()) {
            client.out().println(Output.pretty(dev.ferry.state.Json.mapper().valueToTree(created)));
        }
        client.out().flush();
        return 0;
    }
}
