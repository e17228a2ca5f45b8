package dev.ferry.migrations.inventory;

import dev.ferry.migrations.inventory.php.FpmConfig;
import dev.ferry.migrations.inventory.php.PhpVersion;

/**
 * One installed php-fpm (Debian can have several PHP versions side by side).
 *
 * @param binary  its path on the host ({@code /usr/sbin/php-fpm8.2})
 * @param config  its pools, from {@code php-fpm -tt}; null when that failed
 */
public record FpmService(String binary, PhpVersion version, FpmConfig config) {
}
