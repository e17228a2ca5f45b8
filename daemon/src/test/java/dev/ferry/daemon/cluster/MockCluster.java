package dev.ferry.daemon.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;

/** fabric8's mock API server in CRUD mode, taught server-side apply, with a client that does not retry. */
public final class MockCluster implements AutoCloseable {

    /** The prober for tests whose steps send no HTTP probes. */
    public static final dev.ferry.migrations.port.Prober NO_PROBES = r -> {
        throw new AssertionError("this test sends no HTTP probes, yet one was sent to " + r);
    };

    private final KubernetesMockServer server;
    private final ServerSideApplyDispatcher dispatcher = new ServerSideApplyDispatcher();
    private final KubernetesClient client;

    public MockCluster() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        server.init();
        // No client-side retries: a failure should show at once in a test. HTTP/1.1 only: the JDK client's h2c
        // upgrade against the mock server now and then leaves a request unanswered (fabric8 kubernetes-client
        // PR 7662); a real API server speaks TLS with ALPN and is not affected.
        client = server.createClient(b -> b.editOrNewConfig().withRequestRetryBackoffLimit(0).withHttp2Disable(true)
                .endConfig());
    }

    public KubernetesClient client() {
        return client;
    }

    /** Makes the API server answer a pod log request with {@code log} (see {@link ServerSideApplyDispatcher}). */
    public void podLog(String namespace, String pod, String container, boolean previous, String log) {
        dispatcher.podLog(namespace, pod, container, previous, log);
    }

    /** Stops the API server while the client stays: calls fail as against an unreachable cluster. */
    public void stopServer() {
        server.destroy();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
