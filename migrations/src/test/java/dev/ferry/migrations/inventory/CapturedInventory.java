package dev.ferry.migrations.inventory;

import dev.ferry.migrations.port.CommandResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The test legacy host's inventory, collected from captured outputs instead of a live host: for tests of what
 * comes after the inventory (the planner) that need no SSH. The captured two-pool {@code php-fpm -tt} ran on
 * another address and as another user; its api pool is moved to the legacy host's address and user here, as
 * the live host has it.
 */
public final class CapturedInventory {

    private CapturedInventory() {
    }

    public static Inventory legacyHost() {
        InventoryCollectorTest.CapturedHost host = new InventoryCollectorTest.CapturedHost(c -> switch (c.name()) {
            case "php-fpm-tt" -> ok(Fixtures.read("php/php-fpm-tt-two-pools.txt")
                    .replace("127.0.0.1:9001", "127.0.0.5:9001").replace("user = nobody", "user = apiuser"));
            case "passwd" -> ok("root:x:0:0::/root:/bin/bash\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\n"
                    + "apiuser:x:2003:2003::/nonexistent:/usr/sbin/nologin\n");
            case "group" -> ok("root:x:0:\nwww-data:x:33:\napiuser:x:2003:\n");
            default -> InventoryCollectorTest.captured(c);
        });
        return new InventoryCollector(Clock.fixed(Instant.parse("2026-11-25T09:00:00Z"), ZoneOffset.UTC))
                .collect("legacy", "127.0.0.5", host);
    }

    private static CommandResult ok(String out) {
        return new CommandResult(0, out, "", false, Duration.ZERO);
    }
}
