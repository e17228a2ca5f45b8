package dev.ferry.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ferry status [ID] [--watch]}: each migration's phases as a progress line. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show migrations as progress lines.")
final class StatusCommand implements Callable<Integer> {

    private static final Set<String> ENDED = Set.of("completed", "cancelled", "rolled-back", "failed");

    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "ID", arity = "0..1", description = "One migration (default: all unfinished ones).")
    Long id;

    @Option(names = {"-w", "--watch"}, description = "Redraw every 2 seconds until the migrations shown have ended.")
    boolean watch;

    @Override
    public Integer call() throws InterruptedException {
        ApiClient api = client.client();
        while (true) {
            JsonNode shown = id != null ? api.get("/api/v1/migrations/" + id) : unfinished(api);
            StringBuilder text = new StringBuilder();
            boolean allEnded = true;
            for (JsonNode m : shown.isArray() ? shown : java.util.List.of(shown)) {
                text.append(ProgressLine.render(m, Output.unicode())).append('\n');
                allEnded &= ENDED.contains(m.get("status").asText());
            }
            if (text.isEmpty()) {
                text.append("no unfinished migrations\n");
            }
            Output.print(client, shown, text.toString().stripTrailing());
            if (!watch || allEnded) {
                return 0;
            }
            Thread.sleep(2000);
        }
    }

    private static JsonNode unfinished(ApiClient api) {
        com.fasterxml.jackson.databind.node.ArrayNode out = dev.ferry.state.Json.mapper().createArrayNode();
        for (int offset = 0; ; offset += 500) {
            JsonNode page = api.get("/api/v1/migrations?limit=500&offset=" + offset);
            page.forEach(m -> {
                if (!Set.of("completed", "cancelled", "rolled-back").contains(m.get("status").asText())) {
                    out.add(m);
                }
            });
            if (page.size() < 500) {
                return out;
            }
        }
    }
}
