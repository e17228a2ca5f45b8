package dev.ferry.daemon.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD mock API server, taught server-side apply: it refuses an apply patch for an object that does
 * not exist yet (fabric8 kubernetes-client issue 5337), where a real API server creates it. Here an apply of a
 * missing object is a create, and an apply of an existing one replaces it: with Ferry as the only field manager,
 * the applied object is exactly what the object becomes (fields it no longer sets are dropped). The mock's own
 * merge patch would append to lists instead of merging them by key. The status and the annotations a controller
 * owns ({@code deployment.kubernetes.io/...}) stay, as they do with a real server. Test code only: the product applies
 * exactly as against a real cluster.
 *
 * <p>It also serves pod logs (the CRUD mock has no {@code pods/{name}/log}) from what tests {@link #podLog register},
 * honouring {@code container}, {@code previous} and {@code tailLines} as the kubelet does.
 */
public final class ServerSideApplyDispatcher extends KubernetesCrudDispatcher {

    private static final String APPLY = "application/apply-patch";
    private static final String CONTROLLER_ANNOTATIONS = "deployment.kubernetes.io/";
    private static final Pattern LOG = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(?:\\?(.*))?");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Logs by {@code namespace/pod/container/previous}. */
    private final Map<String, String> logs = new ConcurrentHashMap<>();

    /** What a pod's container wrote: in its current instance, or, with {@code previous}, in the one that crashed. */
    public void podLog(String namespace, String pod, String container, boolean previous, String log) {
        logs.put(namespace + "/" + pod + "/" + container + "/" + previous, log);
    }

    @Override
    public MockResponse handleGet(String path) {
        Matcher m = LOG.matcher(path);
        if (!m.matches()) {
            return super.handleGet(path);
        }
        Map<String, String> query = new HashMap<>();
        if (m.group(3) != null) {
            for (String pair : m.group(3).split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], kv.length < 2 ? "" : URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
        }
        if (super.handleGet("/api/v1/namespaces/" + m.group(1) + "/pods/" + m.group(2)).code() == 404) {
            return status(404, "pods \"" + m.group(2) + "\" not found");
        }
        boolean previous = Boolean.parseBoolean(query.getOrDefault("previous", "false"));
        String log = logs.get(m.group(1) + "/" + m.group(2) + "/" + query.get("container") + "/" + previous);
        if (log == null) {
            // The kubelet's answers: no earlier instance to read, or a container that has not written anything.
            return previous ? status(400, "previous terminated container \"" + query.get("container")
                    + "\" in pod \"" + m.group(2) + "\" not found") : new MockResponse().setResponseCode(200).setBody("");
        }
        if (query.containsKey("tailLines")) {
            List<String> lines = log.lines().toList();
            int tail = Integer.parseInt(query.get("tailLines"));
            log = String.join("\n", lines.subList(Math.max(0, lines.size() - tail), lines.size())) + "\n";
        }
        return new MockResponse().setResponseCode(200).setBody(log);
    }

    private static MockResponse status(int code, String message) {
        ObjectNode status = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Status")
                .put("status", "Failure").put("message", message).put("code", code)
                .put("reason", code == 404 ? "NotFound" : "BadRequest");
        return new MockResponse().setResponseCode(code).setBody(status.toString());
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        String type = request.getHeader("Content-Type");
        if (type == null || !type.startsWith(APPLY)) {
            return super.handlePatch(request);
        }
        String path = request.getPath();
        String resource = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        byte[] body = request.getBody().getBytes();
        MockResponse existing = handleGet(resource);
        if (existing.code() == 404) {
            String collection = resource.substring(0, resource.lastIndexOf('/'));
            return handleCreate(new RecordedRequest(request.getHttpVersion(), HttpMethod.POST, collection,
                    request.getHeaders().newBuilder().set("Content-Type", "application/json").build(),
                    new Buffer(body)));
        }
        body = keepServerOwnedFields(existing.getBody().readUtf8(), body);
        return handleUpdate(new RecordedRequest(request.getHttpVersion(), HttpMethod.PUT, resource,
                request.getHeaders().newBuilder().set("Content-Type", "application/json").build(),
                new Buffer(body)));
    }

    /**
     * What an apply to the main resource leaves alone on a real server: the status (written through the status
     * subresource only) and the annotations a controller owns. The mock would drop both.
     */
    private static byte[] keepServerOwnedFields(String existing, byte[] applied) {
        try {
            JsonNode before = JSON.readTree(existing);
            ObjectNode object = (ObjectNode) JSON.readTree(applied);
            object.remove("status");
            if (before.has("status")) {
                object.set("status", before.get("status"));
            }
            for (var e : before.path("metadata").path("annotations").properties()) {
                if (e.getKey().startsWith(CONTROLLER_ANNOTATIONS)) {
                    ObjectNode annotations = object.withObjectProperty("metadata").withObjectProperty("annotations");
                    if (!annotations.has(e.getKey())) {
                        annotations.set(e.getKey(), e.getValue());
                    }
                }
            }
            return JSON.writeValueAsBytes(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
