package dev.ferry.migrations.plan;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Where things live for the new nginx: in the container ({@link #container()}), or mapped into a directory
 * for a test that runs the rendered configuration with a local nginx.
 *
 * @param webRoot     site files, one directory per site ({@code /srv/web})
 * @param logRoot     logs, one directory per site ({@code /srv/log})
 * @param sslRoot     TLS files, one directory per site ({@code /etc/nginx/ssl})
 * @param phpEndpoint the FastCGI address of a pool's Service, from the pool's name
 * @param listenAddress the address the sites listen on, with their legacy ports; null for all addresses (a pod)
 */
public record Layout(String webRoot, String logRoot, String sslRoot, UnaryOperator<String> phpEndpoint,
                     String listenAddress) {

    public Layout {
        Objects.requireNonNull(phpEndpoint, "phpEndpoint");
    }

    /** The layout of the images and manifests: each PHP pool is reached through its Service. */
    public static Layout container() {
        return new Layout("/srv/web", "/srv/log", "/etc/nginx/ssl", pool -> PlanNames.phpService(pool) + ":9000",
                null);
    }
}
