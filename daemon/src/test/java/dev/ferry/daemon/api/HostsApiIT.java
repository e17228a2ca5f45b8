package dev.ferry.daemon.api;

import static dev.ferry.daemon.DaemonFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.daemon.DaemonFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostsApiIT {

    @TempDir
    Path dir;

    @Test
    void aHostIsRegisteredListedShownAndRemoved() {
        try (DaemonFixture d = new DaemonFixture(dir, Map.of())) {
            var created = d.post("/api/v1/hosts", """
                    {"name": "Legacy-1.Example.org", "address": "2001:db8::10", "port": 2222, "user": "deploy",
                     "auth": {"method": "key", "keyFile": "/etc/ferry/keys/legacy1", "passphraseFile": "/etc/ferry/keys/legacy1.pass"},
                     "sudo": true, "jumpHost": "ops@bastion.example.org:22",
                     "jumpHostKeyFingerprint": "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                     "hostKeyFingerprint": "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8",
                     "labels": {"tier": "web", "window": "saturday"}}""");
            JsonNode host = json(created, 201);
            long id = host.get("id").asLong();
            assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/hosts/" + id);
            assertThat(host.get("name").asText()).isEqualTo("legacy-1.example.org");
            assertThat(host.get("jumpHost").asText()).isEqualTo("ops@bastion.example.org:22");
            assertThat(host.at("/auth/keyFile").asText()).isEqualTo("/etc/ferry/keys/legacy1");
            assertThat(host.get("sudo").asBoolean()).isTrue();
            assertThat(host.at("/labels/tier").asText()).isEqualTo("web");

            assertThat(json(d.get("/api/v1/hosts/" + id), 200)).isEqualTo(host);
            var list = d.get("/api/v1/hosts");
            assertThat(json(list, 200)).hasSize(1);
            assertThat(list.headers().firstValue("X-Total-Count")).hasValue("1");

            assertThat(d.delete("/api/v1/hosts/" + id).statusCode()).isEqualTo(204);
            assertThat(d.get("/api/v1/hosts/" + id).statusCode()).isEqualTo(404);
            assertThat(json(d.get("/api/v1/hosts"), 200)).isEmpty();
        }
    }

    @Test
    void listingsArePagedWithALinkToTheNextPage() {
        try (DaemonFixture d = new DaemonFixture(dir, Map.of())) {
            for (int i = 1; i <= 5; i++) {
                d.registerHost("web" + i);
            }
            var first = d.get("/api/v1/hosts?limit=2");
            assertThat(json(first, 200).findValuesAsText("name")).containsExactly("web1", "web2");
            assertThat(first.headers().firstValue("X-Total-Count")).hasValue("5");
            assertThat(first.headers().firstValue("Link")).hasValue("</api/v1/hosts?limit=2&offset=2>; rel=\"next\"");
            var last = d.get("/api/v1/hosts?limit=2&offset=4");
            assertThat(json(last, 200).findValuesAsText("name")).containsExactly("web5");
            assertThat(last.headers().firstValue("Link")).isEmpty();
        }
    }

    @Test
    void withoutATokenOnlyHealthAnswers() throws Exception {
        try (DaemonFixture d = new DaemonFixture(dir, Map.of())) {
            var client = java.net.http.HttpClient.newHttpClient();
            var health = client.send(java.net.http.HttpRequest.newBuilder(d.uri("/healthz")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok");
            var hosts = client.send(java.net.http.HttpRequest.newBuilder(d.uri("/api/v1/hosts"))
                    .header("Authorization", "Bearer wrong-token-but-long-enough").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(hosts.statusCode()).isEqualTo(401);
            assertThat(hosts.body()).contains("not valid").doesNotContain(DaemonFixture.TOKEN);
        }
    }

    @Test
    void aGeneratedTokenFileIsPrivateToItsOwner() throws Exception {
        ApiToken token = ApiToken.configuredOrFile(null, dir);
        Path file = dir.resolve(ApiToken.FILE_NAME);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(token.value()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(ApiToken.configuredOrFile(null, dir).value()).isEqualTo(token.value());
        assertThat(token.toString()).doesNotContain(token.value());
    }
}
