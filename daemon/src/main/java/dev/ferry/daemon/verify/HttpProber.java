package dev.ferry.daemon.verify;

import dev.ferry.migrations.port.Prober;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.client5.http.ssl.TrustAllStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.Timeout;

/**
 * The {@link Prober} over Apache HttpClient 5 (classic, blocking). Each request connects to the address it
 * names while the URL, the Host header and the SNI name carry the site's name: the target is an {@link HttpHost}
 * that holds both, so no name is ever looked up and concurrent probes of one name at two addresses cannot mix.
 * Connections are never reused for the same reason (the pool keys routes by name). Certificates and host names
 * are not checked, redirects are not followed, cookies are not kept, nothing is retried and bodies are not
 * decompressed: the prober reports what the server did, byte for byte.
 */
public final class HttpProber implements Prober, AutoCloseable {

    /** Bodies are read up to this many bytes by default. */
    public static final int DEFAULT_BODY_LIMIT = 4 * 1024 * 1024;

    private final CloseableHttpClient client;
    private final int bodyLimit;

    public HttpProber(Duration connectTimeout, Duration responseTimeout, int bodyLimit) {
        if (bodyLimit < 0) {
            throw new IllegalArgumentException("bodyLimit must not be negative");
        }
        this.bodyLimit = bodyLimit;
        SSLContext trustAll;
        try {
            trustAll = SSLContexts.custom().loadTrustMaterial(TrustAllStrategy.INSTANCE).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for probes: " + e.getMessage(), e);
        }
        Timeout response = Timeout.of(responseTimeout);
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(new DefaultClientTlsStrategy(trustAll,
                                HostnameVerificationPolicy.CLIENT, NoopHostnameVerifier.INSTANCE))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout)).setSocketTimeout(response).build())
                        .setMaxConnTotal(64).setMaxConnPerRoute(8)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(response)
                        .setConnectionRequestTimeout(Timeout.of(connectTimeout)).build())
                .setConnectionReuseStrategy((request, answer, context) -> false)
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAutomaticRetries()
                .disableContentCompression()
                .disableAuthCaching()
                .setUserAgent("ferry-verify")
                .build();
    }

    /** Timeouts of 10 and 30 seconds and {@link #DEFAULT_BODY_LIMIT}. */
    public HttpProber() {
        this(Duration.ofSeconds(10), Duration.ofSeconds(30), DEFAULT_BODY_LIMIT);
    }

    @Override
    public Response fetch(Request request) {
        try {
            InetAddress address = InetAddress.getByName(request.address());
            HttpHost target = new HttpHost(request.scheme(), address, request.hostName(), request.port());
            return client.execute(target, new BasicClassicHttpRequest("GET", target, request.path()), this::read);
        } catch (UnknownHostException e) {
            return Response.failed("unknown host " + request.address());
        } catch (IOException | RuntimeException e) {
            return Response.failed(describe(e));
        }
    }

    private Response read(ClassicHttpResponse response) throws IOException {
        HttpEntity entity = response.getEntity();
        byte[] body = new byte[0];
        boolean truncated = false;
        if (entity != null) {
            try (InputStream in = entity.getContent()) {
                byte[] read = in.readNBytes(bodyLimit + 1);
                truncated = read.length > bodyLimit;
                body = truncated ? java.util.Arrays.copyOf(read, bodyLimit) : read;
            }
        }
        return new Response(response.getCode(), header(response, "Content-Type"), header(response, "Location"),
                body, truncated, null);
    }

    private static String header(ClassicHttpResponse response, String name) {
        Header h = response.getFirstHeader(name);
        return h == null ? null : h.getValue();
    }

    /**
     * Why no answer came, in words that do not name the address: the same failure on both sides reads the same,
     * and a verification compares the two.
     */
    static String describe(Exception e) {
        Throwable t = e;
        // The client wraps some failures (a protocol error inside a ClientProtocolException, say).
        while (t.getCause() != null && !(t instanceof SSLException) && !(t instanceof ConnectException)
                && !(t instanceof InterruptedIOException)) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? "" : t.getMessage();
        if (t instanceof SSLException) {
            return "TLS: " + message;
        }
        if (t instanceof ConnectException) {
            return message.toLowerCase().contains("timed out") ? "timed out" : "connection refused";
        }
        if (t instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (t instanceof InterruptedIOException) {
            return "timed out";
        }
        if (t instanceof NoHttpResponseException) {
            return "no response (the server closed the connection)";
        }
        if (t instanceof ProtocolException) {
            return "not HTTP: " + message;
        }
        if (t instanceof SocketException && message.toLowerCase().contains("reset")) {
            return "connection reset";
        }
        return t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // Nothing is left to release that the process exit would not.
        }
    }
}
