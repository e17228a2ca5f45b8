package dev.ferry.migrations.inventory.php;

import dev.ferry.migrations.inventory.InventoryParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The php.ini settings a PHP installation changes from PHP's built-in defaults, from {@code php-fpm -i} (phpinfo
 * with the ini files) and {@code php-fpm -n -i} (without them): the settings the new image must carry, since
 * the official image has no php.ini of its own. Only directive rows ({@code name => local => master}) are
 * read, so phpinfo's environment and server variables never enter the inventory; settings that may hold
 * secrets or name paths of the legacy host are left out.
 */
public final class PhpSettings {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.]*");
    /** Names that may hold a password or key. */
    private static final Pattern SECRET = Pattern.compile(".*(pass|pw|secret|key|token|user).*");
    /** Settings that point at files or directories of the legacy host, not of the container. */
    private static final Set<String> PATHS = Set.of("extension_dir", "include_path", "error_log", "open_basedir",
            "session.save_path", "sys_temp_dir", "upload_tmp_dir", "mail.log", "sendmail_path", "doc_root",
            "user_dir", "auto_prepend_file", "auto_append_file", "opcache.error_log", "opcache.preload",
            "opcache.file_cache", "curl.cainfo", "openssl.cafile", "openssl.capath", "soap.wsdl_cache_dir",
            "browscap", "date.timezone_db");

    private PhpSettings() {
    }

    /** Each directive's local value from phpinfo text; "no value" is the empty string. */
    public static Map<String, String> parse(String phpInfo) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : phpInfo.split("\n")) {
            String[] f = line.split(" => ", -1);
            if (f.length == 3 && NAME.matcher(f[0].strip()).matches()) {
                String value = f[1].strip();
                out.putIfAbsent(f[0].strip(), value.equals("no value") ? "" : value);
            }
        }
        if (out.isEmpty()) {
            throw new InventoryParseException("php-fpm -i", "no 'directive => local value => master value' rows");
        }
        return out;
    }

    /** The settings whose value the ini files change, sorted, without secrets and legacy paths. */
    public static Map<String, String> changed(Map<String, String> withIni, Map<String, String> defaults) {
        Map<String, String> out = new TreeMap<>();
        withIni.forEach((name, value) -> {
            if (defaults.containsKey(name) && !defaults.get(name).equals(value) && !PATHS.contains(name)
                    && !SECRET.matcher(name).matches()) {
                out.put(name, value);
            }
        });
        return out;
    }
}
