package dev.ferry.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ferry events ID [--follow]}: a migration's event log. */
@Command(name = "events", mixinStandardHelpOptions = true, description = "Print a migration's events.")
final class EventsCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "ID", description = "The migration.")
    long id;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events until the migration has ended.")
    boolean follow;

    @Override
    public Integer call() throws InterruptedException {
        ApiClient api = client.client();
        long after = 0;
        while (true) {
            JsonNode events = api.get("/api/v1/migrations/" + id + "/events?limit=1000&after=" + after);
            for (JsonNode e : events) {
                after = e.get("id").asLong();
                client.out().println(client.json() ? e.toString() : String.format("%s  %-14s %-24s %s",
                        e.get("at").asText(), e.path("phase").asText("-"), e.get("kind").asText(), e.get("message").asText()));
            }
            client.out().flush();
            if (!follow) {
                return 0;
            }
            if (events.size() < 1000) {
                String status = api.get("/api/v1/migrations/" + id).get("status").asText();
                if (Set.of("completed", "cancelled", "rolled-back", "failed").contains(status)) {
                    return 0;
                }
                Thread.sleep(1000);
            }
        }
    }
}
