package dev.ferry.migrations.inventory.php;

import dev.ferry.migrations.inventory.InventoryParseException;
import dev.ferry.migrations.inventory.OrderedMaps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One php-fpm pool. Maps keep the order php-fpm printed them ({@code -tt}) or the order of the pool file, so two
 * inventories of an unchanged host are equal and render identically. Values php-fpm reports as {@code undefined}
 * are left out: they mean "not set".
 *
 * @param name           the section name, {@code "www"}
 * @param user           the user the workers run as; null when php-fpm runs unprivileged and ignores it
 * @param group          null when not set (php-fpm then uses the user's primary group)
 * @param listen         a socket path or {@code [address:]port}, as written
 * @param listenOwner    owner of a unix socket, null when not set (the socket then belongs to the master's user)
 * @param listenGroup    null when not set
 * @param listenMode     null when not set (php-fpm then uses 0660)
 * @param pm             {@code static}, {@code dynamic} or {@code ondemand}
 * @param pmSettings     every {@code pm.*} key, with its prefix: {@code pm.max_children -> 5}
 * @param phpValues      {@code php_value[...]} and {@code php_flag[...]} by ini name; flags as {@code 1}/{@code 0}
 *                       like php-fpm prints them
 * @param phpAdminValues {@code php_admin_value[...]} and {@code php_admin_flag[...]}
 * @param env            {@code env[...]} by variable name, values as written ({@code $HOSTNAME} is not expanded)
 * @param other          everything else: chdir, request_terminate_timeout, security.limit_extensions, ...
 */
public record FpmPool(String name, String user, String group, String listen, String listenOwner, String listenGroup,
                      String listenMode, String pm, Map<String, String> pmSettings, Map<String, String> phpValues,
                      Map<String, String> phpAdminValues, Map<String, String> env, Map<String, String> other) {

    public FpmPool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(pm, "pm");
        pmSettings = OrderedMaps.copyOf(pmSettings);
        phpValues = OrderedMaps.copyOf(phpValues);
        phpAdminValues = OrderedMaps.copyOf(phpAdminValues);
        env = OrderedMaps.copyOf(env);
        other = OrderedMaps.copyOf(other);
    }

    /**
     * Sorts a pool's flat settings into the record. {@code settings} must already be normalised (no
     * {@code undefined}, flags as 1/0). A pool without {@code listen} or {@code pm} would not start.
     */
    static FpmPool of(String command, String name, Map<String, String> settings) {
        for (String required : List.of("listen", "pm")) {
            if (settings.get(required) == null || settings.get(required).isEmpty()) {
                throw new InventoryParseException(command, "pool [" + name + "] has no " + required);
            }
        }
        Map<String, String> pmSettings = new LinkedHashMap<>();
        Map<String, String> phpValues = new LinkedHashMap<>();
        Map<String, String> phpAdminValues = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> other = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            String bracketed = bracketed(key);
            if (key.startsWith("pm.")) {
                pmSettings.put(key, value);
            } else if (bracketed != null && (key.startsWith("php_value[") || key.startsWith("php_flag["))) {
                phpValues.put(bracketed, value);
            } else if (bracketed != null
                    && (key.startsWith("php_admin_value[") || key.startsWith("php_admin_flag["))) {
                phpAdminValues.put(bracketed, value);
            } else if (bracketed != null && key.startsWith("env[")) {
                env.put(bracketed, value);
            } else if (!FIELDS.contains(key)) {
                other.put(key, value);
            }
        });
        return new FpmPool(name, settings.get("user"), settings.get("group"), settings.get("listen"),
                settings.get("listen.owner"), settings.get("listen.group"), settings.get("listen.mode"),
                settings.get("pm"), pmSettings, phpValues, phpAdminValues, env, other);
    }

    private static final Set<String> FIELDS =
            Set.of("user", "group", "listen", "listen.owner", "listen.group", "listen.mode", "pm");

    private static String bracketed(String key) {
        int open = key.indexOf('[');
        if (open < 0 || !key.endsWith("]") || open + 1 >= key.length() - 1) {
            return null;
        }
        return key.substring(open + 1, key.length() - 1);
    }
}
