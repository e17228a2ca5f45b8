package dev.ferry.migrations.inventory;

import dev.ferry.migrations.inventory.php.PhpIni;
import dev.ferry.migrations.inventory.php.PhpModules;
import dev.ferry.migrations.inventory.php.PhpVersion;
import java.util.List;

/**
 * The host's PHP: the command-line interpreter's view (modules, ini files) and each php-fpm installed.
 * Null parts could not be read.
 */
public record PhpFacts(PhpVersion cli, PhpModules modules, PhpIni ini, List<FpmService> fpm) {

    public PhpFacts {
        fpm = List.copyOf(fpm);
    }
}
