package dev.ferry.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ferry.state.Json;

/** Finding hosts by name for commands that accept a name or an id. */
final class Hosts {

    private Hosts() {
    }

    /** Every registered host, over all pages. */
    static ArrayNode all(ApiClient api) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (int offset = 0; ; offset += 500) {
            JsonNode page = api.get("/api/v1/hosts?limit=500&offset=" + offset);
            page.forEach(out::add);
            if (page.size() < 500) {
                return out;
            }
        }
    }

    static long id(ApiClient api, String nameOrId) {
        if (nameOrId.matches("\\d{1,18}")) {
            return Long.parseLong(nameOrId);
        }
        for (JsonNode h : all(api)) {
            if (h.get("name").asText().equalsIgnoreCase(nameOrId)) {
                return h.get("id").asLong();
            }
        }
        throw new CliFailure(CliFailure.NOT_FOUND, "no host named '" + nameOrId + "'");
    }
}
