package dev.ferry.state.host;

/**
 * How Ferry authenticates to a host: a key file (with an optional file holding its passphrase) or the
 * ssh-agent. Only paths are stored; the key and passphrase stay in their files.
 */
public record SshAuth(AuthMethod method, String keyFile, String passphraseFile) {

    public static SshAuth key(String keyFile) {
        return new SshAuth(AuthMethod.KEY, keyFile, null);
    }

    public static SshAuth agent() {
        return new SshAuth(AuthMethod.AGENT, null, null);
    }
}
