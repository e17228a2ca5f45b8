package dev.ferry.migrations.inventory.php;

import dev.ferry.migrations.inventory.InventoryParseException;
import dev.ferry.migrations.inventory.OrderedMaps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A php-fpm master's configuration: its {@code [global]} section and its pools, in php-fpm's order.
 *
 * @param global          the {@code [global]} settings, {@code undefined} ones left out, in printed/file order
 * @param pools           the pools, in the order php-fpm printed them (or file path order, then file order)
 * @param ignoredIncludes {@code include=} globs met in pool files and not followed (the caller reads those files
 *                        itself); always empty from {@code -tt}, which has resolved them
 */
public record FpmConfig(Map<String, String> global, List<FpmPool> pools, List<String> ignoredIncludes) {

    static final String TEST_COMMAND = "php-fpm -tt";
    private static final Pattern LOG_LINE =
            Pattern.compile("(?:\\[[^\\]]*\\]\\s+)?(NOTICE|WARNING|ERROR|ALERT|DEBUG):\\s?(.*)");
    private static final Pattern SECTION = Pattern.compile("\\[([^\\]=]+)\\]");
    private static final Pattern SETTING = Pattern.compile("(\\S+) =(?: (.*))?");
    private static final Pattern SUCCESS = Pattern.compile("configuration file .* test is successful");

    public FpmConfig {
        global = OrderedMaps.copyOf(global);
        pools = List.copyOf(pools);
        ignoredIncludes = List.copyOf(ignoredIncludes);
    }

    /**
     * Parses what {@code php-fpmX.Y -tt} prints on stderr: every effective setting, defaults included, one per
     * log line. An ERROR line or a missing "test is successful" line is a failure: the configuration did not load.
     */
    public static FpmConfig parseTest(String phpFpmTT) {
        if (phpFpmTT == null || phpFpmTT.isBlank()) {
            throw new InventoryParseException(TEST_COMMAND, "empty output");
        }
        Map<String, String> global = new LinkedHashMap<>();
        Map<String, Map<String, String>> pools = new LinkedHashMap<>();
        Map<String, String> current = null;
        boolean successful = false;
        int lineNo = 0;
        for (String raw : phpFpmTT.lines().toList()) {
            lineNo++;
            if (raw.isBlank()) {
                continue;
            }
            Matcher log = LOG_LINE.matcher(raw.strip());
            if (!log.matches()) {
                throw new InventoryParseException(TEST_COMMAND, "line " + lineNo + " is not a php-fpm log line");
            }
            String level = log.group(1);
            String body = log.group(2).strip();
            if (level.equals("ERROR") || level.equals("ALERT")) {
                throw new InventoryParseException(TEST_COMMAND, "php-fpm rejected its configuration: " + body);
            }
            if (!level.equals("NOTICE") || body.isEmpty()) {
                continue; // warnings (deprecated settings, low limits) do not change what was loaded
            }
            Matcher section = SECTION.matcher(body);
            Matcher setting = SETTING.matcher(body);
            if (SUCCESS.matcher(body).matches()) {
                successful = true;
            } else if (section.matches()) {
                String name = section.group(1).strip();
                if (name.equals("global")) {
                    current = global;
                } else {
                    current = pools.computeIfAbsent(name, n -> new LinkedHashMap<>());
                }
            } else if (setting.matches()) {
                if (current == null) {
                    throw new InventoryParseException(TEST_COMMAND, "line " + lineNo + ": setting before any section");
                }
                String value = setting.group(2) == null ? "" : setting.group(2).strip();
                if (!value.equals("undefined")) {
                    current.put(setting.group(1), value);
                }
            } else {
                throw new InventoryParseException(TEST_COMMAND, "line " + lineNo + ": unexpected notice: " + body);
            }
        }
        if (!successful) {
            throw new InventoryParseException(TEST_COMMAND,
                    "no 'configuration file ... test is successful' line (output truncated or test failed)");
        }
        List<FpmPool> result = new ArrayList<>();
        pools.forEach((name, settings) -> result.add(FpmPool.of(TEST_COMMAND, name, settings)));
        if (result.isEmpty()) {
            throw new InventoryParseException(TEST_COMMAND, "no pool sections");
        }
        return new FpmConfig(global, result, List.of());
    }

    /**
     * Parses php-fpm.conf and pool files read from the host, by path, for hosts where {@code -tt} cannot run.
     * Files are taken in path order (the order php-fpm's include glob expands them); {@code include=} lines are
     * not followed but listed in {@link #ignoredIncludes()}. Pools get php-fpm 8.2's defaults for what they leave
     * out, and values are normalised the way {@code -tt} prints them, so both parsers agree on the same host.
     */
    public static FpmConfig parsePoolFiles(Map<String, String> fileContents) {
        return FpmPoolFiles.parse(fileContents);
    }

    /**
     * The pool nginx reaches through {@code fastcgi_pass target}: {@code unix:/run/php/php8.2-fpm.sock},
     * {@code 127.0.0.1:9001}, {@code localhost:9001} or {@code 9001}. A pool listening on a bare port or a wildcard
     * address accepts any host; {@code localhost} is 127.0.0.1; {@code /var/run} is {@code /run}.
     */
    public Optional<FpmPool> poolListeningOn(String fastcgiTarget) {
        FastcgiAddress target = FastcgiAddress.ofTarget(fastcgiTarget);
        return pools.stream()
                .filter(pool -> FastcgiAddress.ofListen(pool.listen()).map(target::reaches).orElse(false))
                .findFirst();
    }
}
