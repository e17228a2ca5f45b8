package dev.ferry.state.host;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Syntax rules for what identifies and reaches a host. Each check answers what is wrong, or nothing.
 * The rules are strict on purpose: these values end up in SSH connections, Kubernetes object names and
 * (quoted) remote commands.
 */
public final class HostRules {

    /** One RFC 1123 label: letters, digits and inner hyphens, 1 to 63 characters. */
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    /** POSIX portable user names as useradd accepts them by default. */
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,30}\\$?");
    /** OpenSSH's SHA256 fingerprint: 32 bytes in unpadded base64. */
    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");

    /** A check for one kind of value. */
    @FunctionalInterface
    public interface Rule<T> {
        Optional<String> problem(T value);
    }

    private HostRules() {
    }

    public static Optional<String> checkHostName(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("is required");
        }
        if (name.length() > 253) {
            return Optional.of("is longer than 253 characters");
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.of("must be an RFC 1123 host name (letters, digits, hyphens and dots; each part 1-63 "
                        + "characters, not starting or ending with a hyphen), not '" + printable(name) + "'");
            }
        }
        return Optional.empty();
    }

    public static Optional<String> checkAddress(String address) {
        if (address == null || address.isEmpty()) {
            return Optional.of("is required");
        }
        if (IPV4.matcher(address).matches() || isIpv6Literal(address)) {
            return Optional.empty();
        }
        if (address.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
            return Optional.of("'" + printable(address) + "' is not a valid IPv4 address");
        }
        return checkHostName(address).map(p -> "must be an IP address or an RFC 1123 host name, not '"
                + printable(address) + "'");
    }

    public static Optional<String> checkPort(Integer port) {
        if (port == null || port < 1 || port > 65535) {
            return Optional.of("must be a TCP port from 1 to 65535");
        }
        return Optional.empty();
    }

    public static Optional<String> checkUser(String user) {
        if (user == null || user.isEmpty()) {
            return Optional.of("is required");
        }
        if (!USER.matcher(user).matches()) {
            return Optional.of("must be a POSIX user name (lower-case letters, digits, '_' and '-', at most 32 "
                    + "characters, not starting with a digit or '-'), not '" + printable(user) + "'");
        }
        return Optional.empty();
    }

    public static Optional<String> checkAbsolutePath(String path) {
        if (path == null || path.isEmpty()) {
            return Optional.of("is required");
        }
        if (!path.startsWith("/")) {
            return Optional.of("must be an absolute path");
        }
        if (path.length() > 4096 || path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of("must be a path without control characters, at most 4096 characters");
        }
        return Optional.empty();
    }

    public static Optional<String> checkFingerprint(String fingerprint) {
        if (fingerprint == null || !FINGERPRINT.matcher(fingerprint).matches()) {
            return Optional.of("must be an OpenSSH SHA256 fingerprint such as SHA256:"
                    + "nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8 (ssh-keyscan HOST | ssh-keygen -lf -)");
        }
        return Optional.empty();
    }

    /** Kubernetes label syntax, so labels can be carried onto the cluster objects of a host. */
    public static Optional<String> checkLabelKey(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("label keys must not be empty");
        }
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0 && checkHostName(key.substring(0, slash)).isPresent()) {
            return Optional.of("label key '" + printable(key) + "' has a prefix that is not a DNS name");
        }
        if (!LABEL_NAME.matcher(name).matches()) {
            return Optional.of("label key '" + printable(key) + "' must be 1-63 letters, digits, '-', '_' or '.', "
                    + "beginning and ending with a letter or digit");
        }
        return Optional.empty();
    }

    public static Optional<String> checkLabelValue(String value) {
        if (value == null) {
            return Optional.of("label values must not be null");
        }
        if (!value.isEmpty() && !LABEL_NAME.matcher(value).matches()) {
            return Optional.of("label value '" + printable(value) + "' must be at most 63 letters, digits, '-', '_' "
                    + "or '.', beginning and ending with a letter or digit");
        }
        return Optional.empty();
    }

    /** For records whose constructor refuses bad values outright. */
    public static <T> void requireValid(String field, T value, Rule<T> rule) {
        rule.problem(value).ifPresent(p -> {
            throw new IllegalArgumentException(field + " " + p);
        });
    }

    private static boolean isIpv6Literal(String address) {
        if (!address.contains(":") || !IPV6_CHARS.matcher(address).matches()) {
            return false;
        }
        try {
            // A literal with only hex digits, colons and dots is parsed without any name lookup.
            return java.net.InetAddress.getByName(address) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Echoes user input back in messages without control characters and at a bounded length. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().limit(80).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return s.length() > 80 ? out + "..." : out.toString();
    }
}
