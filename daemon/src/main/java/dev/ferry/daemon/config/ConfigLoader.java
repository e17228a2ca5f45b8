package dev.ferry.daemon.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ferry.state.ValidationException;
import dev.ferry.state.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads {@link FerryConfig}: defaults, then the YAML file, then environment variables. Every key has one
 * variable, {@code FERRY_} plus its path in upper snake case: {@code api.maxBodyBytes} is
 * {@code FERRY_API_MAX_BODY_BYTES}, {@code dataDir} is {@code FERRY_DATA_DIR}. Unknown keys in the file are an
 * error (a typo would otherwise be ignored silently).
 */
public final class ConfigLoader {

    /** The file read when no {@code --config} is given, if it exists. */
    public static final Path DEFAULT_FILE = Path.of("ferry.yaml");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .findAndRegisterModules()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS);

    private ConfigLoader() {
    }

    /**
     * @param file the configuration file; null means {@link #DEFAULT_FILE} if present, else defaults only
     * @param env  the environment (System.getenv() in production)
     * @throws ConfigException when the file is missing (if named), unreadable, malformed, or values are invalid
     */
    public static FerryConfig load(Path file, Map<String, String> env) {
        ObjectNode tree = (ObjectNode) YAML.valueToTree(FerryConfig.defaults());
        Path source = file != null ? file : (Files.exists(DEFAULT_FILE) ? DEFAULT_FILE : null);
        if (source != null) {
            merge(tree, readFile(source), "");
        }
        List<String> applied = applyEnvironment(tree, "", env);
        FerryConfig config;
        try {
            config = YAML.treeToValue(tree, FerryConfig.class);
        } catch (JsonProcessingException e) {
            throw new ConfigException("invalid configuration" + (source == null ? "" : " in " + source) + ": "
                    + e.getOriginalMessage());
        }
        List<Violation> violations = config.violations();
        if (!violations.isEmpty()) {
            throw new ConfigException("invalid configuration" + (source == null ? "" : " (" + source + ")")
                    + (applied.isEmpty() ? "" : " with " + String.join(", ", applied)) + ": "
                    + new ValidationException(violations).getMessage());
        }
        return config;
    }

    /** FERRY_* variables that name no key: likely typos, worth a warning. */
    public static List<String> unknownVariables(Map<String, String> env) {
        TreeSet<String> known = new TreeSet<>();
        collectNames((ObjectNode) YAML.valueToTree(FerryConfig.defaults()), "", known);
        known.add("FERRY_CONFIG");
        return env.keySet().stream().filter(k -> k.startsWith("FERRY_") && !known.contains(k)).sorted().toList();
    }

    private static JsonNode readFile(Path source) {
        if (!Files.isRegularFile(source)) {
            throw new ConfigException("configuration file " + source + " does not exist");
        }
        try {
            JsonNode node = YAML.readTree(source.toFile());
            if (node == null || node.isMissingNode() || node.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException("configuration file " + source + " must hold a YAML mapping");
            }
            return node;
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + source + ": " + e.getMessage());
        }
    }

    private static void merge(ObjectNode into, JsonNode from, String path) {
        Iterator<Map.Entry<String, JsonNode>> fields = from.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            String key = path + f.getKey();
            JsonNode existing = into.get(f.getKey());
            if (existing == null) {
                throw new ConfigException("unknown configuration key '" + key + "'");
            }
            if (existing.isObject() && f.getValue().isObject()) {
                merge((ObjectNode) existing, f.getValue(), key + ".");
            } else if (existing.isObject()) {
                throw new ConfigException("configuration key '" + key + "' must be a mapping");
            } else {
                into.set(f.getKey(), f.getValue());
            }
        }
    }

    private static List<String> applyEnvironment(ObjectNode node, String prefix, Map<String, String> env) {
        List<String> applied = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            JsonNode child = node.get(key);
            String name = prefix + upperSnake(key);
            if (child.isObject()) {
                applied.addAll(applyEnvironment((ObjectNode) child, name + "_", env));
            } else {
                String value = env.get("FERRY_" + name);
                if (value != null) {
                    node.put(key, value);
                    applied.add("FERRY_" + name);
                }
            }
        }
        return applied;
    }

    private static void collectNames(ObjectNode node, String prefix, TreeSet<String> out) {
        node.fieldNames().forEachRemaining(key -> {
            String name = prefix + upperSnake(key);
            if (node.get(key).isObject()) {
                collectNames((ObjectNode) node.get(key), name + "_", out);
            } else {
                out.add("FERRY_" + name);
            }
        });
    }

    static String upperSnake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /** The configuration cannot be used; the message says which key and why. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }

}
