package dev.ferry.state.host;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A bastion Ferry connects through, written {@code user@address:port} (the port may be left out: 22). */
public record JumpHost(String user, String address, int port) {

    private static final Pattern FORM = Pattern.compile("([^@\\s]+)@(\\[[0-9A-Fa-f:.]+]|[^:@\\[\\]\\s]+)(?::(\\d{1,5}))?");

    public JumpHost {
        HostRules.requireValid("jumpHost.user", user, HostRules::checkUser);
        HostRules.requireValid("jumpHost.address", address, HostRules::checkAddress);
        HostRules.requireValid("jumpHost.port", port, HostRules::checkPort);
    }

    @JsonCreator
    public static JumpHost parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("jump host must look like user@address[:port], not '" + text + "'");
        }
        String address = m.group(2).startsWith("[") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2);
        int port = m.group(3) == null ? 22 : Integer.parseInt(m.group(3));
        return new JumpHost(m.group(1), address, port);
    }

    @JsonValue
    @Override
    public String toString() {
        return user + "@" + (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }
}
