package dev.ferry.migrations.inventory;

import dev.ferry.migrations.step.Step;
import dev.ferry.migrations.step.StepContext;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.state.host.Host;
import java.util.Map;

/**
 * The inventory phase: everything later phases plan from, taken over one SSH connection. Opening the shell
 * checks the host key first, so a changed key fails the phase (permanently) before any command runs; an
 * unreachable host is a transient failure the engine retries. Commands that fail only leave warnings, one
 * event each, and the phase completes with what it found.
 */
public final class InventoryStep implements Step {

    @Override
    public StepResult run(StepContext ctx) {
        Host host = ctx.host();
        Inventory inventory = new InventoryCollector(ctx.ports().clock()).collect(host, ctx.ports().shells());
        for (InventoryWarning w : inventory.warnings()) {
            ctx.event("inventory.warning", "host " + host.name() + ", command " + w.command() + ": " + w.message(),
                    Map.of("command", w.command()));
        }
        return StepResult.done(inventory, summary(inventory));
    }

    static String summary(Inventory inv) {
        int servers = inv.nginx().config() == null ? 0 : inv.nginx().config().servers().size();
        int pools = inv.php().fpm().stream().filter(f -> f.config() != null)
                .mapToInt(f -> f.config().pools().size()).sum();
        return servers + " server blocks, " + pools + " php-fpm pools, " + inv.roots().size() + " roots"
                + (inv.complete() ? "" : ", " + inv.warnings().size() + " warnings");
    }
}
