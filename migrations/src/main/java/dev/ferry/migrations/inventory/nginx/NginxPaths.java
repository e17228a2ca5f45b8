package dev.ferry.migrations.inventory.nginx;

/** Paths as nginx configurations write them. */
public final class NginxPaths {

    private NginxPaths() {
    }

    /** A root or alias as the directory it names: {@code /srv/docs/} and {@code /srv/docs} are the same. */
    public static String directory(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
