package dev.ferry.state.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.state.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostSpecTest {

    static final String FP = "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8";

    static HostSpec spec(String name, String address) {
        return new HostSpec(name, address, 22, "root", SshAuth.key("/etc/ferry/id_ed25519"), false, null, null, FP,
                false, Map.of("site", "blue"));
    }

    static List<String> fields(HostSpec s) {
        return s.violations().stream().map(Violation::field).toList();
    }

    @Test
    void aCompleteSpecIsValidAndItsNameIsLowerCased() {
        HostSpec s = spec("Web1.Example.ORG", "192.0.2.10");
        assertThat(s.violations()).isEmpty();
        assertThat(s.name()).isEqualTo("web1.example.org");
    }

    @ParameterizedTest
    @ValueSource(strings = {"web;reboot", "web$(id)", "a b", "-web", "web-", "we`b`", "web|cat", "", "web..x",
            "web\nx", "a_b"})
    void namesThatAreNotRfc1123AreRefused(String name) {
        assertThat(fields(spec(name, "192.0.2.10"))).contains("name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.10", "127.0.0.5", "::1", "2001:db8::1", "legacy-1.example.org", "db"})
    void addressesMayBeIpLiteralsOrHostNames(String address) {
        assertThat(spec("web1", address).violations()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.1.1.1", "1.2.3", "host;id", "2001:db8::zz", "[::1]", "a b"})
    void badAddressesAreRefused(String address) {
        assertThat(fields(spec("web1", address))).contains("address");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        HostSpec s = new HostSpec("bad name", "", 70000, "Root!", new SshAuth(AuthMethod.KEY, "relative/key", null),
                false, null, null, "MD5:aa", true, Map.of("bad key!", "v"));
        assertThat(fields(s)).containsExactlyInAnyOrder("name", "address", "port", "user", "auth.keyFile",
                "hostKeyFingerprint", "trustOnFirstUse", "labels");
    }

    @Test
    void aHostKeyMustBePinnedUnlessTrustOnFirstUseIsAskedFor() {
        HostSpec unpinned = new HostSpec("web1", "192.0.2.1", 22, "root", SshAuth.agent(), false, null, null, null, false,
                Map.of());
        assertThat(fields(unpinned)).containsExactly("hostKeyFingerprint");
        HostSpec tofu = new HostSpec("web1", "192.0.2.1", 22, "root", SshAuth.agent(), false, null, null, null, true,
                Map.of());
        assertThat(tofu.violations()).isEmpty();
    }

    @Test
    void missingPortAndAuthTakeDefaults() {
        HostSpec s = new HostSpec("web1", "192.0.2.1", null, "deploy", null, true, null, null, FP, false, null);
        assertThat(s.port()).isEqualTo(22);
        assertThat(s.auth().method()).isEqualTo(AuthMethod.AGENT);
        assertThat(s.labels()).isEmpty();
    }

    @Test
    void jumpHostsParseAndPrint() {
        assertThat(JumpHost.parse("ops@bastion.example.org")).isEqualTo(new JumpHost("ops", "bastion.example.org", 22));
        assertThat(JumpHost.parse("ops@[2001:db8::1]:2222").toString()).isEqualTo("ops@[2001:db8::1]:2222");
        assertThatThrownBy(() -> JumpHost.parse("ops@bastion;id")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JumpHost.parse("bastion")).hasMessageContaining("user@address[:port]");
    }

    @Test
    void messagesEchoInputWithoutControlCharacters() {
        String message = spec("web\u001b[31m", "192.0.2.1").violations().get(0).message();
        assertThat(message).contains("web\\x1b[31m").doesNotContain("\u001b");
    }
}
