package dev.ferry.state.host;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.ferry.state.EnumIds;

/** How Ferry proves its identity to a host's sshd. Ferry never stores passwords, so keys are all there is. */
public enum AuthMethod {
    /** A private key file on the daemon's machine, optionally with a passphrase read from a file. */
    KEY,
    /** The ssh-agent reachable through SSH_AUTH_SOCK. */
    AGENT;

    @JsonValue
    public String id() {
        return EnumIds.id(this);
    }

    @JsonCreator
    public static AuthMethod fromId(String id) {
        return EnumIds.parse(AuthMethod.class, id, "auth method");
    }
}
