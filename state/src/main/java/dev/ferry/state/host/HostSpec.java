package dev.ferry.state.host;

import dev.ferry.state.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What an operator says about a legacy host when registering it: how to reach it over SSH and how to
 * recognise it. {@link #violations()} lists everything wrong with it at once; the repository stores only
 * a spec without violations.
 *
 * @param name               Ferry's name for the host (RFC 1123), unique, stored lower case
 * @param address            IP address or DNS name sshd listens on
 * @param port               sshd's port, 22 when not given
 * @param user               the login user
 * @param auth               key file or agent
 * @param sudo               the user is not root and runs commands through {@code sudo -n}
 * @param jumpHost           a bastion to connect through, or null
 * @param jumpHostKeyFingerprint the bastion's pinned host key (required with a jump host)
 * @param hostKeyFingerprint the pinned host key (OpenSSH SHA256 form), or null with trust on first use
 * @param trustOnFirstUse    pin whatever key the host shows on first connection (recorded as an event)
 * @param labels             Kubernetes-style labels, for selecting hosts in batches
 */
public record HostSpec(String name, String address, Integer port, String user, SshAuth auth, Boolean sudo,
        JumpHost jumpHost, String jumpHostKeyFingerprint, String hostKeyFingerprint, Boolean trustOnFirstUse,
        Map<String, String> labels) {

    public static final int DEFAULT_SSH_PORT = 22;
    private static final int MAX_LABELS = 64;

    public HostSpec {
        name = name == null ? null : name.toLowerCase(Locale.ROOT);
        port = port == null ? DEFAULT_SSH_PORT : port;
        auth = auth == null ? SshAuth.agent() : auth;
        sudo = Boolean.TRUE.equals(sudo);
        trustOnFirstUse = Boolean.TRUE.equals(trustOnFirstUse);
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    public List<Violation> violations() {
        List<Violation> out = new ArrayList<>();
        check(out, "name", HostRules.checkHostName(name));
        check(out, "address", HostRules.checkAddress(address));
        check(out, "port", HostRules.checkPort(port));
        check(out, "user", HostRules.checkUser(user));
        if (auth.method() == null) {
            out.add(new Violation("auth.method", "is required: key or agent"));
        } else if (auth.method() == AuthMethod.KEY) {
            check(out, "auth.keyFile", HostRules.checkAbsolutePath(auth.keyFile()));
            if (auth.passphraseFile() != null) {
                check(out, "auth.passphraseFile", HostRules.checkAbsolutePath(auth.passphraseFile()));
            }
        } else if (auth.keyFile() != null || auth.passphraseFile() != null) {
            out.add(new Violation("auth", "agent authentication takes no keyFile or passphraseFile"));
        }
        if (jumpHost != null) {
            check(out, "jumpHostKeyFingerprint", HostRules.checkFingerprint(jumpHostKeyFingerprint));
        } else if (jumpHostKeyFingerprint != null) {
            out.add(new Violation("jumpHostKeyFingerprint", "is only for a jumpHost"));
        }
        if (hostKeyFingerprint != null) {
            check(out, "hostKeyFingerprint", HostRules.checkFingerprint(hostKeyFingerprint));
            if (trustOnFirstUse) {
                out.add(new Violation("trustOnFirstUse", "cannot be set together with a pinned hostKeyFingerprint"));
            }
        } else if (!trustOnFirstUse) {
            out.add(new Violation("hostKeyFingerprint", "is required unless trustOnFirstUse is true: pin the key "
                    + "the host shows (ssh-keyscan -p PORT ADDRESS | ssh-keygen -lf -)"));
        }
        if (labels.size() > MAX_LABELS) {
            out.add(new Violation("labels", "at most " + MAX_LABELS + " labels"));
        }
        labels.forEach((k, v) -> {
            check(out, "labels", HostRules.checkLabelKey(k));
            check(out, "labels", HostRules.checkLabelValue(v));
        });
        return out;
    }

    private static void check(List<Violation> out, String field, Optional<String> problem) {
        problem.ifPresent(p -> out.add(new Violation(field, p)));
    }
}
