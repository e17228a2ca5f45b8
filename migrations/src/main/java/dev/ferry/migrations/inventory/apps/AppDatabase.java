package dev.ferry.migrations.inventory.apps;

import dev.ferry.migrations.inventory.InventoryParseException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The database an application under a site root uses, as its configuration file says. There is deliberately no
 * password here: inventories are stored, logged and shown, and the password is read again on the host when data is
 * moved. Fields are null when the file does not set them or computes them (getenv(), concatenation).
 *
 * @param app         {@code "wordpress"}, {@code "mediawiki"} or {@code "drupal"}
 * @param configFile  the file this was read from, as the caller named it
 * @param engine      {@code "mysql"} for WordPress; MediaWiki's {@code $wgDBtype}; Drupal's {@code driver}
 * @param host        the server's host name or address, null for a bare socket path
 * @param port        from {@code "host:3307"} or a port setting; null means the client default (3306)
 * @param socket      from {@code "localhost:/run/mysqld/mysqld.sock"}, a host starting with {@code /}, or a socket
 *                    setting
 * @param name        the database (schema) name
 * @param user        the account name
 * @param tablePrefix WordPress {@code $table_prefix}, MediaWiki {@code $wgDBprefix}, Drupal {@code prefix}
 */
public record AppDatabase(String app, String configFile, String engine, String host, Integer port, String socket,
                          String name, String user, String tablePrefix) {

    private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.\\d{1,3}){3}");

    public AppDatabase {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(configFile, "configFile");
    }

    /**
     * The database is on this host and reached over loopback or a socket: localhost, 127.0.0.0/8, ::1 or a socket.
     * Such an app needs its database moved along with it, or its host setting rewritten.
     */
    public boolean reachesLocalOnly() {
        if (socket != null) {
            return true;
        }
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost") || h.equals("::1") || LOOPBACK_V4.matcher(h).matches();
    }

    /** Host, port and socket from one MySQL-style host setting: {@code host}, {@code host:port}, {@code [v6]:port},
     * {@code host:/socket}, {@code /socket}. */
    record Endpoint(String host, Integer port, String socket) {

        static Endpoint of(String path, String spec) {
            if (spec == null || spec.isBlank()) {
                return new Endpoint(null, null, null);
            }
            String s = spec.strip();
            if (s.startsWith("/")) {
                return new Endpoint(null, null, s);
            }
            String host;
            String rest;
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                if (close < 0) {
                    throw new InventoryParseException("cat " + path, "database host has an unclosed [");
                }
                host = s.substring(1, close);
                rest = s.length() > close + 1 && s.charAt(close + 1) == ':' ? s.substring(close + 2) : null;
            } else if (s.indexOf(':') != s.lastIndexOf(':') && !s.contains(":/")) {
                return new Endpoint(s, null, null); // a bare IPv6 address
            } else {
                int colon = s.indexOf(':');
                host = colon < 0 ? s : s.substring(0, colon);
                rest = colon < 0 ? null : s.substring(colon + 1);
            }
            if (rest == null || rest.isEmpty()) {
                return new Endpoint(host, null, null);
            }
            if (rest.startsWith("/")) {
                return new Endpoint(host, null, rest);
            }
            return new Endpoint(host, port(path, rest), null);
        }

        static Integer port(String path, String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            String v = value.strip();
            if (!v.matches("\\d{1,5}") || Integer.parseInt(v) > 65535 || Integer.parseInt(v) == 0) {
                throw new InventoryParseException("cat " + path, "database port is not a port number");
            }
            return Integer.parseInt(v);
        }
    }
}
