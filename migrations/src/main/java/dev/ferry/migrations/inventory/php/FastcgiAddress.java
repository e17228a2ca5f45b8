package dev.ferry.migrations.inventory.php;

import dev.ferry.migrations.inventory.InventoryParseException;
import java.util.Optional;

/** Either a unix socket path or a TCP {@code host:port}; {@code host == null} means any address. */
record FastcgiAddress(String socket, String host, int port) {

    static FastcgiAddress ofTarget(String target) {
        if (target == null || target.isBlank()) {
            throw new InventoryParseException("fastcgi_pass", "empty target");
        }
        String t = target.strip();
        if (t.startsWith("unix:")) {
            t = t.substring("unix:".length());
            if (!t.startsWith("/")) {
                throw new InventoryParseException("fastcgi_pass", "unix: target without an absolute path: " + target);
            }
        }
        return parse(t).orElseThrow(() -> new InventoryParseException("fastcgi_pass",
                "not unix:/path, host:port or port: " + target));
    }

    /** A pool's {@code listen}; empty when it is not an address php-fpm accepts. */
    static Optional<FastcgiAddress> ofListen(String listen) {
        return parse(listen.strip());
    }

    boolean reaches(FastcgiAddress pool) {
        if (socket != null || pool.socket != null) {
            return socket != null && socket.equals(pool.socket);
        }
        return port == pool.port && (host == null || pool.host == null || host.equals(pool.host));
    }

    private static Optional<FastcgiAddress> parse(String address) {
        if (address.startsWith("/")) {
            // Debian's /var/run is a symlink to /run; nginx configs and pool files use both spellings.
            String path = address.startsWith("/var/run/") ? address.substring("/var".length()) : address;
            return Optional.of(new FastcgiAddress(path, null, 0));
        }
        String host;
        String port;
        if (address.startsWith("[")) {
            int close = address.indexOf(']');
            if (close < 0 || !address.startsWith("]:", close)) {
                return Optional.empty();
            }
            host = address.substring(1, close);
            port = address.substring(close + 2);
        } else {
            int colon = address.lastIndexOf(':');
            if (colon < 0) {
                host = null;
                port = address;
            } else if (address.indexOf(':') != colon) {
                return Optional.empty(); // an IPv6 address needs brackets when a port follows
            } else {
                host = address.substring(0, colon);
                port = address.substring(colon + 1);
            }
        }
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535 || Integer.parseInt(port) == 0) {
            return Optional.empty();
        }
        return Optional.of(new FastcgiAddress(null, normalHost(host), Integer.parseInt(port)));
    }

    private static String normalHost(String host) {
        if (host == null) {
            return null;
        }
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return switch (h) {
            case "", "*", "0.0.0.0", "::" -> null;
            case "localhost" -> "127.0.0.1";
            default -> h;
        };
    }
}
