package dev.ferry.migrations.inventory;

/**
 * Which php-fpm pool serves a location of a site.
 *
 * @param server        the server block's first name ({@code _} when it has none)
 * @param location      the location's path, with its modifier ({@code ~ \.php$})
 * @param fastcgiTarget what {@code fastcgi_pass} says: {@code unix:/run/php/php8.2-fpm.sock}, an address, or an
 *                      upstream's name
 * @param endpoint      the socket or address requests go to (an upstream resolved to one of its servers)
 * @param fpm           the php-fpm binary whose pool listens there; null when no pool on the host does
 * @param pool          that pool's name; null when no pool on the host does (a remote backend, or a mistake)
 */
public record PoolMapping(String server, String location, String fastcgiTarget, String endpoint, String fpm,
                          String pool) {
}
