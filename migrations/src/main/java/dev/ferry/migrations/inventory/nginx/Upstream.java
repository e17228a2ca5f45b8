package dev.ferry.migrations.inventory.nginx;

import java.util.List;

/** An {@code upstream} block: its name and the address of each {@code server} in it. */
public record Upstream(String name, List<String> servers) {

    public Upstream {
        servers = List.copyOf(servers);
    }
}
