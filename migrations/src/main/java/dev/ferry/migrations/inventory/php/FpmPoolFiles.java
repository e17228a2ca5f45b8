package dev.ferry.migrations.inventory.php;

import dev.ferry.migrations.inventory.InventoryParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** php-fpm's ini syntax, read without php-fpm: what {@link FpmConfig#parsePoolFiles} does. */
final class FpmPoolFiles {

    private static final Pattern SECTION = Pattern.compile("\\[\\s*([^\\]]+?)\\s*\\]");
    private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd]?)");

    // What php-fpm 8.2 uses for a pool that leaves these out, exactly as -tt prints them.
    private static final Map<String, String> POOL_DEFAULTS = defaults(
            "listen.backlog", "-1",
            "process.dumpable", "no",
            "pm.max_spawn_rate", "32",
            "pm.process_idle_timeout", "10",
            "pm.max_requests", "0",
            "request_slowlog_timeout", "0s",
            "request_slowlog_trace_depth", "20",
            "request_terminate_timeout", "0s",
            "request_terminate_timeout_track_finished", "no",
            "rlimit_files", "0",
            "rlimit_core", "0",
            "catch_workers_output", "no",
            "decorate_workers_output", "yes",
            "clear_env", "yes",
            "security.limit_extensions", ".php .phar");
    private static final Set<String> YES_NO = Set.of("process.dumpable", "request_terminate_timeout_track_finished",
            "catch_workers_output", "decorate_workers_output", "clear_env");
    private static final Set<String> SECONDS_WITH_UNIT = Set.of("request_slowlog_timeout",
            "request_terminate_timeout");
    private static final Set<String> SECONDS_BARE = Set.of("pm.process_idle_timeout");

    private FpmPoolFiles() {
    }

    static FpmConfig parse(Map<String, String> fileContents) {
        if (fileContents == null || fileContents.isEmpty()) {
            throw new InventoryParseException("php-fpm pool files", "no files given");
        }
        Map<String, String> global = new LinkedHashMap<>();
        Map<String, Map<String, String>> pools = new LinkedHashMap<>();
        Map<String, String> poolCommand = new LinkedHashMap<>();
        List<String> includes = new ArrayList<>();
        for (Map.Entry<String, String> file : new TreeMap<>(fileContents).entrySet()) {
            String command = "cat " + file.getKey();
            Map<String, String> current = global;
            String poolName = null;
            int lineNo = 0;
            for (String raw : file.getValue().lines().toList()) {
                lineNo++;
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                    continue;
                }
                Matcher section = SECTION.matcher(line);
                if (section.matches()) {
                    poolName = section.group(1);
                    if (poolName.equalsIgnoreCase("global")) {
                        poolName = null;
                        current = global;
                    } else {
                        current = pools.computeIfAbsent(poolName, n -> new LinkedHashMap<>());
                        poolCommand.putIfAbsent(poolName, command);
                    }
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    throw new InventoryParseException(command, "line " + lineNo
                            + ": expected [section] or key = value");
                }
                String key = line.substring(0, eq).strip();
                String value = value(command, lineNo, line.substring(eq + 1));
                if (key.equalsIgnoreCase("include")) {
                    includes.add(value);
                    continue;
                }
                if (poolName != null) {
                    // php-fpm substitutes the pool name for $pool in values (listen = /run/php/$pool.sock).
                    value = value.replace("$pool", poolName);
                }
                current.put(key, value);
            }
        }
        List<FpmPool> result = new ArrayList<>();
        pools.forEach((name, settings) -> {
            String command = poolCommand.get(name);
            result.add(FpmPool.of(command, name, withDefaults(command, name, normalised(command, name, settings))));
        });
        return new FpmConfig(global, result, includes);
    }

    private static String value(String command, int lineNo, String rawValue) {
        String v = rawValue.strip();
        if (v.startsWith("\"")) {
            StringBuilder out = new StringBuilder();
            for (int i = 1; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '\\' && i + 1 < v.length() && (v.charAt(i + 1) == '"' || v.charAt(i + 1) == '\\')) {
                    out.append(v.charAt(++i));
                } else if (c == '"') {
                    rejectTrailing(command, lineNo, v.substring(i + 1));
                    return out.toString();
                } else {
                    out.append(c);
                }
            }
            throw new InventoryParseException(command, "line " + lineNo + ": unterminated double quote");
        }
        if (v.startsWith("'")) {
            int close = v.indexOf('\'', 1);
            if (close < 0) {
                throw new InventoryParseException(command, "line " + lineNo + ": unterminated single quote");
            }
            rejectTrailing(command, lineNo, v.substring(close + 1));
            return v.substring(1, close);
        }
        int comment = v.indexOf(';');
        return (comment < 0 ? v : v.substring(0, comment)).strip();
    }

    private static void rejectTrailing(String command, int lineNo, String rest) {
        String r = rest.strip();
        if (!r.isEmpty() && !r.startsWith(";") && !r.startsWith("#")) {
            throw new InventoryParseException(command, "line " + lineNo + ": text after a quoted value");
        }
    }

    /** Rewrites values the way php-fpm stores and prints them, so file and -tt inventories compare equal. */
    private static Map<String, String> normalised(String command, String pool, Map<String, String> settings) {
        Map<String, String> out = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith("php_flag[")) {
                out.put("php_value[" + key.substring("php_flag[".length()), flag(command, pool, key, value));
            } else if (key.startsWith("php_admin_flag[")) {
                out.put("php_admin_value[" + key.substring("php_admin_flag[".length()),
                        flag(command, pool, key, value));
            } else if (YES_NO.contains(key)) {
                out.put(key, flag(command, pool, key, value).equals("1") ? "yes" : "no");
            } else if (SECONDS_WITH_UNIT.contains(key)) {
                out.put(key, seconds(command, pool, key, value) + "s");
            } else if (SECONDS_BARE.contains(key)) {
                out.put(key, Long.toString(seconds(command, pool, key, value)));
            } else {
                out.put(key, value);
            }
        });
        return out;
    }

    private static Map<String, String> withDefaults(String command, String pool, Map<String, String> settings) {
        Map<String, String> out = new LinkedHashMap<>(settings);
        POOL_DEFAULTS.forEach(out::putIfAbsent);
        String pm = out.get("pm");
        if ("dynamic".equals(pm)) {
            // php-fpm's own default: halfway between the spare limits.
            long min = number(command, pool, out, "pm.min_spare_servers");
            long max = number(command, pool, out, "pm.max_spare_servers");
            out.putIfAbsent("pm.start_servers", Long.toString(min + (max - min) / 2));
        } else {
            out.putIfAbsent("pm.start_servers", "0");
            out.putIfAbsent("pm.min_spare_servers", "0");
            out.putIfAbsent("pm.max_spare_servers", "0");
        }
        return out;
    }

    private static long number(String command, String pool, Map<String, String> settings, String key) {
        String v = settings.get(key);
        if (v == null || !v.matches("\\d{1,9}")) {
            throw new InventoryParseException(command, "pool [" + pool + "]: pm = dynamic needs a numeric " + key);
        }
        return Long.parseLong(v);
    }

    private static String flag(String command, String pool, String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "1", "on", "yes", "true" -> "1";
            case "0", "off", "no", "false", "none", "" -> "0";
            default -> throw new InventoryParseException(command, "pool [" + pool + "]: " + key + " is not a boolean");
        };
    }

    private static long seconds(String command, String pool, String key, String value) {
        Matcher m = DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches() || m.group(1).length() > 9) {
            throw new InventoryParseException(command, "pool [" + pool + "]: " + key + " is not a duration");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> n * 60;
            case "h" -> n * 3600;
            case "d" -> n * 86400;
            default -> n;
        };
    }

    private static Map<String, String> defaults(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
