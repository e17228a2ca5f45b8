package dev.ferry.migrations.inventory.php;

import dev.ferry.migrations.inventory.InventoryParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The extensions a PHP binary loads, from {@code php -m}, names as PHP prints them ({@code "PDO"},
 * {@code "pdo_mysql"}, {@code "Zend OPcache"}), in PHP's order.
 *
 * @param php  the {@code [PHP Modules]} section
 * @param zend the {@code [Zend Modules]} section (OPcache, Xdebug, ionCube), often empty
 */
public record PhpModules(List<String> php, List<String> zend) {

    private static final String COMMAND = "php -m";

    public PhpModules {
        php = List.copyOf(php);
        zend = List.copyOf(zend);
    }

    /** Every module once: Zend extensions such as OPcache appear in both sections. */
    public List<String> all() {
        LinkedHashSet<String> all = new LinkedHashSet<>(php);
        all.addAll(zend);
        return List.copyOf(all);
    }

    public static PhpModules parse(String phpM) {
        if (phpM == null || phpM.isBlank()) {
            throw new InventoryParseException(COMMAND, "empty output");
        }
        List<String> php = new ArrayList<>();
        List<String> zend = new ArrayList<>();
        List<String> current = null;
        boolean sawZend = false;
        for (String raw : phpM.lines().toList()) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.equals("[PHP Modules]")) {
                current = php;
            } else if (line.equals("[Zend Modules]")) {
                if (current != php) {
                    throw new InventoryParseException(COMMAND, "[Zend Modules] before [PHP Modules]");
                }
                current = zend;
                sawZend = true;
            } else if (line.startsWith("[") && line.endsWith("]")) {
                throw new InventoryParseException(COMMAND, "unknown section " + line);
            } else if (current != null) {
                current.add(line);
            }
            // Lines before [PHP Modules] are startup warnings ("PHP Warning: Module ... already loaded"): skipped.
        }
        if (current == null) {
            throw new InventoryParseException(COMMAND, "no [PHP Modules] section");
        }
        if (!sawZend) {
            throw new InventoryParseException(COMMAND, "no [Zend Modules] section (output truncated?)");
        }
        if (php.isEmpty()) {
            throw new InventoryParseException(COMMAND, "[PHP Modules] section is empty");
        }
        return new PhpModules(php, zend);
    }
}
