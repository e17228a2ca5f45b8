package dev.ferry.migrations.inventory;

import dev.ferry.migrations.inventory.apps.AppDatabase;
import dev.ferry.migrations.inventory.files.RootFacts;
import dev.ferry.migrations.inventory.system.DatabaseServer;
import java.time.Instant;
import java.util.List;

/**
 * What a legacy host runs, as far as a migration needs to know: the document every later phase plans from.
 * Parts whose commands failed are null or empty and a {@link InventoryWarning} says which command and why;
 * the document is still kept.
 *
 * @param host               the host's registered name (or {@code user@address} for a one-shot inventory)
 * @param hostKeyFingerprint the SSH host key the host showed while it was inventoried
 * @param database           the MySQL/MariaDB server on the host; null when there is none or it could not be read
 * @param poolMappings       for each location that passes requests to FastCGI, the php-fpm pool that listens there
 * @param roots              each site root and alias target, scanned
 * @param apps               the database settings of the applications found under the roots (never passwords)
 */
public record Inventory(String host, String address, Instant collectedAt, String hostKeyFingerprint,
                        SystemFacts system, NginxFacts nginx, PhpFacts php, DatabaseServer database,
                        List<PoolMapping> poolMappings, List<RootFacts> roots, List<AppDatabase> apps,
                        List<InventoryWarning> warnings) {

    public Inventory {
        poolMappings = List.copyOf(poolMappings);
        roots = List.copyOf(roots);
        apps = List.copyOf(apps);
        warnings = List.copyOf(warnings);
    }

    public boolean complete() {
        return warnings.isEmpty();
    }
}
