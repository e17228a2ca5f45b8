package dev.ferry.daemon.ssh;

import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

/**
 * Strict host-key checking against the pinned fingerprint (or, for the one-shot CLI, the keys its
 * known_hosts file lists). With nothing pinned it accepts only when trust on first use was asked for. It
 * remembers what the host showed, so a refusal can say what was expected and what came.
 */
final class HostKeyCheck implements HostKeyVerifier {

    private final Set<String> pinned;
    private final List<String> algorithms;
    private final boolean trustOnFirstUse;
    private volatile String seen;
    private volatile PublicKey seenKey;

    HostKeyCheck(String pinned, boolean trustOnFirstUse) {
        this(pinned == null ? Set.of() : Set.of(pinned), List.of(), trustOnFirstUse);
    }

    /**
     * @param algorithms the key types of the pinned keys, so that the handshake asks for one of them rather
     *                   than a type the host also has but that nobody pinned
     */
    HostKeyCheck(Set<String> pinned, List<String> algorithms, boolean trustOnFirstUse) {
        this.pinned = Set.copyOf(pinned);
        this.algorithms = List.copyOf(algorithms);
        this.trustOnFirstUse = trustOnFirstUse;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        seen = fingerprint(key);
        seenKey = key;
        return accepts(seen);
    }

    private boolean accepts(String fingerprint) {
        return pinned.isEmpty() ? trustOnFirstUse : pinned.contains(fingerprint);
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        return algorithms;
    }

    /** Whether the host showed a key and this check refused it. */
    boolean rejected() {
        return seen != null && !accepts(seen);
    }

    String seen() {
        return seen;
    }

    /** The key the host showed, as a known_hosts line has it: {@code ssh-ed25519 AAAA...}. */
    String seenKeyLine() {
        PublicKey key = seenKey;
        return key == null ? null : KeyType.fromKey(key) + " " + java.util.Base64.getEncoder()
                .encodeToString(new Buffer.PlainBuffer().putPublicKey(key).getCompactData());
    }

    /** The pinned fingerprints, comma-separated; null when none is. */
    String pinned() {
        return pinned.isEmpty() ? null : String.join(", ", new java.util.TreeSet<>(pinned));
    }

    /** OpenSSH's form: SHA-256 of the key blob, unpadded base64. */
    static String fingerprint(PublicKey key) {
        return KnownHosts.fingerprint(new Buffer.PlainBuffer().putPublicKey(key).getCompactData());
    }
}
