package dev.ferry.migrations.inventory.nginx;

/**
 * One {@code listen} of a server block.
 *
 * @param address  the address, without brackets for IPv6; null for all addresses
 * @param port     the port; 0 for a Unix socket
 * @param unixPath the socket's path for {@code listen unix:...}; null otherwise
 */
public record Listen(String address, int port, String unixPath, boolean ssl, boolean http2, boolean defaultServer,
                     boolean ipv6, boolean quic) {

    /** nginx's default when a server block has no listen (as root). */
    static final Listen DEFAULT = new Listen(null, 80, null, false, false, false, false, false);

    public static Listen parse(Directive d) {
        String spec = d.arg(0);
        if (spec == null) {
            throw NginxParseException.at(d.file(), d.line(), "listen needs an address or port");
        }
        boolean ssl = false;
        boolean http2 = false;
        boolean def = false;
        boolean quic = false;
        for (String p : d.args().subList(1, d.args().size())) {
            switch (p) {
                case "ssl" -> ssl = true;
                case "http2" -> http2 = true;
                case "default_server", "default" -> def = true;
                case "quic" -> quic = true;
                default -> {
                    // backlog=, reuseport, proxy_protocol, ipv6only=...: nothing a migration changes.
                }
            }
        }
        if (spec.startsWith("unix:")) {
            return new Listen(null, 0, spec.substring(5), ssl, http2, def, false, quic);
        }
        String address;
        String port;
        boolean ipv6 = false;
        if (spec.startsWith("[")) {
            int close = spec.indexOf(']');
            if (close < 0) {
                throw NginxParseException.at(d.file(), d.line(), "listen " + spec + ": unclosed [");
            }
            address = spec.substring(1, close);
            ipv6 = true;
            port = close + 1 < spec.length() && spec.charAt(close + 1) == ':' ? spec.substring(close + 2) : "80";
        } else if (spec.chars().allMatch(Character::isDigit)) {
            address = null;
            port = spec;
        } else if (spec.contains(":")) {
            address = spec.substring(0, spec.lastIndexOf(':'));
            port = spec.substring(spec.lastIndexOf(':') + 1);
        } else {
            address = spec;
            port = "80";
        }
        if (address != null && (address.equals("*") || address.equals("0.0.0.0"))) {
            address = null;
        }
        int portNumber;
        try {
            portNumber = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw NginxParseException.at(d.file(), d.line(), "listen " + spec + ": the port is not a number");
        }
        if (portNumber < 1 || portNumber > 65535) {
            throw NginxParseException.at(d.file(), d.line(), "listen " + spec + ": port out of range");
        }
        return new Listen(address, portNumber, null, ssl, http2, def, ipv6, quic);
    }

    Listen withHttp2() {
        return new Listen(address, port, unixPath, ssl, true, defaultServer, ipv6, quic);
    }
}
