package dev.ferry.migrations.inventory.php;

import dev.ferry.migrations.inventory.InventoryParseException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PHP build a host runs, from {@code php -v} or {@code php-fpmX.Y -v}.
 *
 * @param version    the numeric release, {@code "8.2.29"}; a distribution suffix ({@code -1~deb12u1},
 *                   {@code -4ubuntu2.18}) is dropped because the target image is chosen by release
 * @param minor      {@code "8.2"}, what package names, paths and image tags are keyed by
 * @param sapi       {@code "cli"}, {@code "fpm-fcgi"}, {@code "cgi-fcgi"}: which binary answered
 * @param threadSafe a ZTS build; PHP 5 prints nothing for NTS builds, so no marker means not thread safe
 * @param zendEngine the Zend Engine version, {@code "4.2.29"}
 */
public record PhpVersion(String version, String minor, String sapi, boolean threadSafe, String zendEngine) {

    private static final String COMMAND = "php -v";
    private static final Pattern BANNER = Pattern.compile(
            "PHP (\\d+)\\.(\\d+)\\.(\\d+)(\\S*) \\(([^)]+)\\)(.*)");
    private static final Pattern ZTS = Pattern.compile("\\(\\s*ZTS\\b");
    private static final Pattern ENGINE = Pattern.compile("^Zend Engine v(\\d+(?:\\.\\d+)*)", Pattern.MULTILINE);

    public PhpVersion {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(minor, "minor");
        Objects.requireNonNull(sapi, "sapi");
        Objects.requireNonNull(zendEngine, "zendEngine");
    }

    public static PhpVersion parse(String phpV) {
        if (phpV == null || phpV.isBlank()) {
            throw new InventoryParseException(COMMAND, "empty output");
        }
        // Startup warnings (a module that fails to load) come before the banner; the banner is the first PHP line.
        Matcher banner = phpV.lines()
                .map(String::strip)
                .map(BANNER::matcher)
                .filter(Matcher::matches)
                .findFirst()
                .orElseThrow(() -> new InventoryParseException(COMMAND,
                        "no 'PHP <version> (<sapi>)' banner line"));
        String minor = banner.group(1) + "." + banner.group(2);
        String version = minor + "." + banner.group(3);
        boolean zts = ZTS.matcher(banner.group(6)).find();
        Matcher engine = ENGINE.matcher(phpV.replace("\r", ""));
        if (!engine.find()) {
            throw new InventoryParseException(COMMAND, "no 'Zend Engine v<version>' line after the banner");
        }
        return new PhpVersion(version, minor, banner.group(5).strip(), zts, engine.group(1));
    }
}
