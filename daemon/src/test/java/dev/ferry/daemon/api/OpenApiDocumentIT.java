package dev.ferry.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ferry.daemon.DaemonFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served OpenAPI document describes exactly the routes the server has, and its references resolve. */
class OpenApiDocumentIT {

    static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

    @TempDir
    Path dir;

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws Exception {
        try (DaemonFixture d = new DaemonFixture(dir, Map.of())) {
            var response = d.get("/api/v1/openapi.yaml");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("application/yaml"));
            JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(response.body());
            assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");

            TreeSet<String> documented = new TreeSet<>();
            doc.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(m -> {
                if (METHODS.contains(m)) {
                    documented.add(m.toUpperCase() + " " + path.getKey());
                }
            }));
            assertThat(documented).containsExactlyElementsOf(new TreeSet<>(d.ferryd().api().routes()));
            assertThat(documented).hasSizeGreaterThanOrEqualTo(14);
        }
    }

    @Test
    void everyOperationButHealthDocumentsTheMissingTokenAndEveryReferenceResolves() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(
                OpenApiDocumentIT.class.getResourceAsStream("/openapi.yaml"));
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (METHODS.contains(op.getKey()) && !path.getKey().equals("/healthz") && !path.getKey().equals("/readyz")) {
                assertThat(op.getValue().at("/responses/401").isMissingNode())
                        .as(op.getKey() + " " + path.getKey() + " documents 401").isFalse();
            }
        }));
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
    }

    private static void collectRefs(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if (f.getKey().equals("$ref")) {
                    out.add(f.getValue().asText());
                } else {
                    collectRefs(f.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, out));
        }
    }
}
