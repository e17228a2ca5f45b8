package dev.ferry.migrations.verify;

/**
 * Where the cluster serves the migrated sites from outside: the ingress controller's (or a load balancer's)
 * address and ports. Verification probes it; after cutover the legacy edge proxies to it.
 *
 * @param address an IP address or DNS name; null when none is configured
 */
public record Ingress(String address, int httpPort, int httpsPort) {

    public Ingress {
        if (address != null && !address.matches("[A-Za-z0-9.:-]+|\\[[0-9A-Fa-f:]+]")) {
            throw new IllegalArgumentException("ingress address '" + address
                    + "' is neither an IP address nor a DNS name");
        }
        if (httpPort < 1 || httpPort > 65535 || httpsPort < 1 || httpsPort > 65535) {
            throw new IllegalArgumentException("ingress ports must be 1-65535");
        }
    }

    public boolean configured() {
        return address != null;
    }

    /** The port serving {@code scheme}. */
    public int port(String scheme) {
        return "https".equals(scheme) ? httpsPort : httpPort;
    }
}
