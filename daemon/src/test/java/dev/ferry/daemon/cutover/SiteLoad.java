package dev.ferry.daemon.cutover;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Continuous load on the legacy address, as clients would send it: every page in turn, each on a new connection
 * (so that a request is never lost to a closed keep-alive connection the client would retry), with the site's
 * name as Host and SNI. A request fails when it gets no complete answer or a status other than the one the page
 * answered before the load began. Runs on its own threads until stopped.
 */
final class SiteLoad implements AutoCloseable {

    /** A page: where to send it, and the status it must keep answering. */
    record Page(String scheme, String name, int port, String path, int expectedStatus) {
    }

    private final String address;
    private final List<Page> pages;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicLong> perSite = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final long startedNanos = System.nanoTime();
    private volatile long stoppedNanos;
    private static final SSLContext TRUST_ALL = trustAll();

    SiteLoad(String address, List<Page> pages, int threadCount) {
        this.address = address;
        this.pages = List.copyOf(pages);
        for (int t = 0; t < threadCount; t++) {
            int offset = t;
            Thread thread = Thread.ofPlatform().name("site-load-" + t).daemon().start(() -> {
                for (int i = offset; running.get(); i++) {
                    Page page = this.pages.get(i % this.pages.size());
                    String outcome = request(page);
                    sent.incrementAndGet();
                    perSite.computeIfAbsent(page.name(), n -> new AtomicLong()).incrementAndGet();
                    if (outcome != null) {
                        failures.add(page.scheme() + "://" + page.name() + page.path() + ": " + outcome);
                    }
                }
            });
            threads.add(thread);
        }
    }

    /** Null when the page answered as expected, else what went wrong. */
    String request(Page page) {
        try {
            int status = status(address, page);
            return status == page.expectedStatus() ? null : "status " + status + ", expected " + page.expectedStatus();
        } catch (IOException | RuntimeException e) {
            return e.toString();
        }
    }

    /** The status {@code page} answers at {@code address} now, on a connection of its own. */
    static int status(String address, Page page) throws IOException {
        try (Socket socket = connect(address, page)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + page.path() + " HTTP/1.1\r\nHost: " + page.name() + "\r\nUser-Agent: ferry-load\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] response = readAll(socket.getInputStream());
            String head = new String(response, 0, Math.min(response.length, 64), StandardCharsets.ISO_8859_1);
            if (!head.startsWith("HTTP/1.1 ")) {
                throw new IOException("no HTTP answer (" + response.length + " bytes)");
            }
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    private static Socket connect(String address, Page page) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(address, page.port()), 5_000);
        if (!page.scheme().equals("https")) {
            return plain;
        }
        SSLSocket tls = (SSLSocket) TRUST_ALL.getSocketFactory().createSocket(plain, page.name(), page.port(), true);
        var params = tls.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName(page.name())));
        tls.setSSLParameters(params);
        tls.startHandshake();
        return tls;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    long sent() {
        return sent.get();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    Map<String, Long> perSite() {
        Map<String, Long> out = new java.util.TreeMap<>();
        perSite.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Requests per second over the load's whole run (up to now while it runs). */
    double rate() {
        long end = stoppedNanos != 0 ? stoppedNanos : System.nanoTime();
        return sent.get() / ((end - startedNanos) / 1e9);
    }

    @Override
    public void close() {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stoppedNanos = System.nanoTime();
    }

    private static SSLContext trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
