package dev.ferry.migrations.inventory.nginx;

/**
 * A location's {@code fastcgi_pass} and the FastCGI settings in effect there (inherited as nginx inherits them).
 *
 * @param target         the argument as written
 * @param socketPath     for {@link Kind#UNIX}
 * @param host           for {@link Kind#TCP}
 * @param port           for {@link Kind#TCP}; null when none is written
 * @param upstream       for {@link Kind#UPSTREAM}: the upstream's name (or the variable, which cannot be resolved)
 * @param scriptFilename the {@code SCRIPT_FILENAME} param; null when none is set
 * @param pathInfo       the {@code PATH_INFO} param; null when none is set
 * @param splitPathInfo  the {@code fastcgi_split_path_info} regex; null when none is set
 */
public record FastcgiPass(String target, Kind kind, String socketPath, String host, Integer port, String upstream,
                          String scriptFilename, String pathInfo, String splitPathInfo, String fastcgiIndex) {

    public enum Kind { UNIX, TCP, UPSTREAM }
}
