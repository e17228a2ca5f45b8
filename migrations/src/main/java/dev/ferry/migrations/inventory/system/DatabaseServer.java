package dev.ferry.migrations.inventory.system;

import dev.ferry.migrations.inventory.InventoryParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MySQL-compatible server a host runs: which one, and where it listens.
 *
 * @param flavor         {@code "mariadb"} or {@code "mysql"} (Percona counts as mysql)
 * @param version        the numeric release, {@code "10.11.14"}; the distribution suffix is dropped
 * @param bindAddress    {@code bind-address} from the option files, or null when no option file sets it: the
 *                       server then listens on all addresses (its compiled default). Debian's
 *                       {@code 50-server.cnf} sets 127.0.0.1, so a stock Debian server reports that here
 * @param port           {@code port}, 3306 when not configured
 * @param socket         {@code socket}, null when not configured (the compiled default applies:
 *                       {@code /run/mysqld/mysqld.sock} on Debian, {@code /var/lib/mysql/mysql.sock} on RHEL)
 * @param skipNetworking {@code skip-networking}: no TCP at all, clients must use the socket
 */
public record DatabaseServer(String flavor, String version, String bindAddress, int port, String socket,
                             boolean skipNetworking) {

    private static final String VERSION_COMMAND = "mariadbd --version";
    private static final String DEFAULTS_COMMAND = "my_print_defaults mysqld server mariadb mariadbd";
    private static final Pattern VERSION =
            Pattern.compile("\\S+\\s+Ver\\s+(\\d+\\.\\d+\\.\\d+)(\\S*)(.*)");

    public DatabaseServer {
        Objects.requireNonNull(flavor, "flavor");
        Objects.requireNonNull(version, "version");
    }

    /**
     * @param versionOutput       {@code mariadbd --version} or {@code mysqld --version}
     * @param printDefaultsOutput {@code my_print_defaults mysqld server mariadb mariadbd} (one option a line) or
     *                            {@code mariadbd --print-defaults} (a header line, then options separated by spaces);
     *                            later options win, as they do for the server
     */
    public static DatabaseServer parse(String versionOutput, String printDefaultsOutput) {
        Matcher v = (versionOutput == null ? "" : versionOutput).lines().map(String::strip)
                .map(VERSION::matcher).filter(Matcher::matches).findFirst()
                .orElseThrow(() -> new InventoryParseException(VERSION_COMMAND,
                        "no '<binary>  Ver <version>' line"));
        String line = v.group(0).toLowerCase(Locale.ROOT);
        String flavor = line.contains("mariadb") ? "mariadb" : "mysql";

        String bindAddress = null;
        int port = 3306;
        String socket = null;
        boolean skipNetworking = false;
        for (String option : options(printDefaultsOutput == null ? "" : printDefaultsOutput)) {
            int eq = option.indexOf('=');
            String key = (eq < 0 ? option.substring(2) : option.substring(2, eq)).toLowerCase(Locale.ROOT)
                    .replace('_', '-');
            String value = eq < 0 ? null : option.substring(eq + 1);
            if (key.startsWith("loose-")) {
                key = key.substring("loose-".length());
            }
            switch (key) {
                case "bind-address" -> bindAddress = required(key, value);
                case "port" -> port = port(required(key, value));
                case "socket" -> socket = required(key, value);
                case "skip-networking" -> skipNetworking = value == null || truthy(key, value);
                case "enable-skip-networking" -> skipNetworking = true;
                case "disable-skip-networking", "skip-skip-networking" -> skipNetworking = false;
                default -> {
                    // Everything else (datadir, character sets, buffers) is not about reachability.
                }
            }
        }
        return new DatabaseServer(flavor, v.group(1), bindAddress, port, socket, skipNetworking);
    }

    private static List<String> options(String output) {
        List<String> options = new ArrayList<>();
        int lineNo = 0;
        for (String raw : output.lines().toList()) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.endsWith("would have been started with the following arguments:")) {
                continue;
            }
            // --print-defaults puts all options on one line; a value may hold a space, rarely " --".
            for (String option : line.split("\\s+(?=--)")) {
                if (!option.startsWith("--") || option.length() == 2) {
                    throw new InventoryParseException(DEFAULTS_COMMAND, "line " + lineNo + ": not a --option");
                }
                options.add(option);
            }
        }
        return options;
    }

    private static String required(String key, String value) {
        if (value == null || value.isEmpty()) {
            throw new InventoryParseException(DEFAULTS_COMMAND, "--" + key + " without a value");
        }
        return value;
    }

    private static int port(String value) {
        if (!value.matches("\\d{1,5}") || Integer.parseInt(value) > 65535) {
            throw new InventoryParseException(DEFAULTS_COMMAND, "--port is not a port number: " + value);
        }
        return Integer.parseInt(value);
    }

    private static boolean truthy(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "1", "on", "true", "yes", "" -> true;
            case "0", "off", "false", "no" -> false;
            default -> throw new InventoryParseException(DEFAULTS_COMMAND, "--" + key + " is not a boolean: " + value);
        };
    }
}
