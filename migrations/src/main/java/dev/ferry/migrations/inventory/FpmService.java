package dev.ferry.migrations.inventory;

import dev.ferry.migrations.inventory.php.FpmConfig;
import dev.ferry.migrations.inventory.php.PhpVersion;
import java.util.Map;

/**
 * One installed php-fpm (Debian can have several PHP versions side by side).
 *
 * @param binary  its path on the host ({@code /usr/sbin/php-fpm8.2})
 * @param config  its pools, from {@code php-fpm -tt}; null when that failed
 * @param iniSettings the php.ini settings its ini files change from PHP's defaults (no secrets, no legacy paths);
 *                    empty when they could not be read
 */
public record FpmService(String binary, PhpVersion version, FpmConfig config, Map<String, String> iniSettings) {

    public FpmService {
        iniSettings = iniSettings == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(iniSettings));
    }
}
