package dev.ferry.daemon.cluster;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * fabric8's CRUD mock API server, taught server-side apply: it refuses an apply patch for an object that does
 * not exist yet (fabric8 kubernetes-client issue 5337), where a real API server creates it. Here an apply of a
 * missing object is a create, and an apply of an existing one replaces it: with Ferry as the only field manager,
 * the applied object is exactly what the object becomes (fields it no longer sets are dropped). The mock's own
 * merge patch would append to lists instead of merging them by key. Test code only: the product applies exactly
 * as against a real cluster.
 */
public final class ServerSideApplyDispatcher extends KubernetesCrudDispatcher {

    private static final String APPLY = "application/apply-patch";

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        String type = request.getHeader("Content-Type");
        if (type == null || !type.startsWith(APPLY)) {
            return super.handlePatch(request);
        }
        String path = request.getPath();
        String resource = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        byte[] body = request.getBody().getBytes();
        if (handleGet(resource).code() == 404) {
            String collection = resource.substring(0, resource.lastIndexOf('/'));
            return handleCreate(new RecordedRequest(request.getHttpVersion(), HttpMethod.POST, collection,
                    request.getHeaders().newBuilder().set("Content-Type", "application/json").build(),
                    new Buffer(body)));
        }
        return handleUpdate(new RecordedRequest(request.getHttpVersion(), HttpMethod.PUT, resource,
                request.getHeaders().newBuilder().set("Content-Type", "application/json").build(),
                new Buffer(body)));
    }
}
