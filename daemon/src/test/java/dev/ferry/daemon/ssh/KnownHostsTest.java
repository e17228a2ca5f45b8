package dev.ferry.daemon.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class KnownHostsTest {

    // Real public key blobs (ssh-keygen -t ed25519 / ecdsa), only their fingerprints matter here.
    static final String ED = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
    static final String EC = "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV0U2w0WZ2YohGKZIdk/8=";

    static String fp(String blob) {
        return KnownHosts.fingerprint(Base64.getDecoder().decode(blob));
    }

    static String hashed(String name, byte[] salt) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(salt, "HmacSHA1"));
        return "|1|" + Base64.getEncoder().encodeToString(salt) + "|"
                + Base64.getEncoder().encodeToString(mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void plainPortedHashedAndWildcardNamesMatchAsInOpenSsh() throws Exception {
        KnownHosts kh = KnownHosts.parse("""
                # comment
                web1.example.org,192.0.2.10 ssh-ed25519 %s
                [192.0.2.10]:2222 ecdsa-sha2-nistp256 %s
                %s ssh-ed25519 %s
                *.internal,!db.internal ssh-ed25519 %s
                @cert-authority *.example.org ssh-ed25519 %s
                garbage line
                """.formatted(ED, EC, hashed("[10.1.1.1]:2200", new byte[20]), EC, ED, EC));
        assertThat(kh.accepted("192.0.2.10", 22)).containsExactly(new KnownHosts.Key("ssh-ed25519", fp(ED)));
        assertThat(kh.accepted("WEB1.example.org", 22)).hasSize(1);
        assertThat(kh.accepted("192.0.2.10", 2222)).containsExactly(new KnownHosts.Key("ecdsa-sha2-nistp256", fp(EC)));
        assertThat(kh.accepted("10.1.1.1", 2200)).containsExactly(new KnownHosts.Key("ssh-ed25519", fp(EC)));
        assertThat(kh.accepted("10.1.1.1", 22)).isEmpty();
        assertThat(kh.accepted("app.internal", 22)).hasSize(1);
        assertThat(kh.accepted("db.internal", 22)).as("negated").isEmpty();
        assertThat(kh.accepted("www.example.org", 22)).as("CA lines are not host keys").isEmpty();
    }

    @Test
    void aRevokedKeyIsNeverAcceptedAndAMissingFileKnowsNothing() {
        KnownHosts kh = KnownHosts.parse("""
                host1 ssh-ed25519 %s
                host1 ecdsa-sha2-nistp256 %s
                @revoked * ssh-ed25519 %s
                """.formatted(ED, EC, ED));
        assertThat(kh.accepted("host1", 22)).containsExactly(new KnownHosts.Key("ecdsa-sha2-nistp256", fp(EC)));
        assertThat(KnownHosts.load(Path.of("/nonexistent/known_hosts")).accepted("host1", 22)).isEmpty();
    }

    @Test
    void fingerprintsAreOpenSshs() {
        // ssh-keygen -lf prints SHA256:<unpadded base64 of sha256(blob)>
        assertThat(fp(ED)).startsWith("SHA256:").doesNotEndWith("=").hasSize(7 + 43);
    }
}
