package dev.ferry.migrations.port;

/**
 * HTTP and HTTPS requests to a site at an address of our choosing, as a browser that resolved the site's name to
 * that address would send them: the site's name in the Host header and, over TLS, as the SNI name. Certificates
 * are not checked (legacy sites often have self-signed ones; the probe compares behaviour, not trust). Redirects
 * are not followed and no cookies are kept.
 */
public interface Prober {

    /** Never throws for what the site did (refused, reset, timed out): that is a {@link Response} with an error. */
    Response fetch(Request request);

    /**
     * @param scheme   {@code http} or {@code https}
     * @param hostName the site's name: Host header and SNI name
     * @param address  where to connect (an IP address or a DNS name)
     * @param path     the request target, already percent-encoded ({@code /read%20me.txt?x=1})
     */
    record Request(String scheme, String hostName, String address, int port, String path) {
    }

    /**
     * @param status      the HTTP status, 0 when no answer came
     * @param contentType the Content-Type header, or null
     * @param location    the Location header, or null
     * @param body        the body, at most the prober's limit
     * @param truncated   the body was longer than the limit
     * @param error       why no answer came (refused, reset, timeout, TLS failure); null when one did
     */
    record Response(int status, String contentType, String location, byte[] body, boolean truncated, String error) {

        public static Response failed(String error) {
            return new Response(0, null, null, new byte[0], false, error);
        }

        public boolean answered() {
            return error == null;
        }
    }
}
