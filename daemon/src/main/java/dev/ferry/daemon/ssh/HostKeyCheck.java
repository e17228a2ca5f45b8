package dev.ferry.daemon.ssh;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

/**
 * Strict host-key checking against one pinned fingerprint. With nothing pinned it accepts only when trust on
 * first use was asked for. It remembers what the host showed, so a refusal can say what was expected and what
 * came.
 */
final class HostKeyCheck implements HostKeyVerifier {

    private final String pinned;
    private final boolean trustOnFirstUse;
    private volatile String seen;

    HostKeyCheck(String pinned, boolean trustOnFirstUse) {
        this.pinned = pinned;
        this.trustOnFirstUse = trustOnFirstUse;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        seen = fingerprint(key);
        return pinned == null ? trustOnFirstUse : pinned.equals(seen);
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        return List.of();
    }

    /** Whether the host showed a key and this check refused it. */
    boolean rejected() {
        return seen != null && !(pinned == null ? trustOnFirstUse : pinned.equals(seen));
    }

    String seen() {
        return seen;
    }

    String pinned() {
        return pinned;
    }

    /** OpenSSH's form: SHA-256 of the key blob, unpadded base64. */
    static String fingerprint(PublicKey key) {
        byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
        try {
            return "SHA256:" + Base64.getEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
