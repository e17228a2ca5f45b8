package dev.ferry.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ferry hosts add|list|show|rm}. */
@Command(name = "hosts", mixinStandardHelpOptions = true, description = "Register and look at legacy hosts.",
        subcommands = {HostsCommand.Add.class, HostsCommand.ListHosts.class, HostsCommand.Show.class,
                HostsCommand.Remove.class})
final class HostsCommand {

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Register a host.")
    static final class Add implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Parameters(paramLabel = "NAME", description = "Ferry's name for the host (RFC 1123).")
        String name;
        @Option(names = "--address", required = true, description = "IP address or DNS name of its sshd.")
        String address;
        @Option(names = "--port", description = "sshd's port (default 22).")
        Integer port;
        @Option(names = "--user", required = true, description = "Login user.")
        String user;
        @Option(names = "--key", paramLabel = "FILE", description = "Private key file (absolute path); default: the ssh-agent.")
        String key;
        @Option(names = "--passphrase-file", paramLabel = "FILE", description = "File holding the key's passphrase.")
        String passphraseFile;
        @Option(names = "--sudo", description = "The user is not root: run commands through sudo -n.")
        boolean sudo;
        @Option(names = "--jump", paramLabel = "USER@HOST[:PORT]", description = "Connect through this bastion.")
        String jump;
        @Option(names = "--jump-fingerprint", paramLabel = "SHA256:...", description = "The bastion's pinned host key.")
        String jumpFingerprint;
        @ArgGroup(exclusive = true, multiplicity = "1")
        HostKey hostKey;
        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label (repeatable).")
        Map<String, String> labels = new LinkedHashMap<>();

        static final class HostKey {
            @Option(names = "--fingerprint", paramLabel = "SHA256:...", description = "The host key to pin (ssh-keyscan HOST | ssh-keygen -lf -).")
            String fingerprint;
            @Option(names = "--trust-on-first-use", description = "Pin whatever key the host shows first.")
            boolean tofu;
        }

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("address", address);
            if (port != null) {
                body.put("port", port);
            }
            body.put("user", user);
            body.put("auth", key == null ? Map.of("method", "agent") : passphraseFile == null
                    ? Map.of("method", "key", "keyFile", key)
                    : Map.of("method", "key", "keyFile", key, "passphraseFile", passphraseFile));
            body.put("sudo", sudo);
            if (jump != null) {
                body.put("jumpHost", jump);
                body.put("jumpHostKeyFingerprint", jumpFingerprint);
            }
            if (hostKey.fingerprint != null) {
                body.put("hostKeyFingerprint", hostKey.fingerprint);
            } else {
                body.put("trustOnFirstUse", true);
            }
            body.put("labels", labels);
            JsonNode host = client.client().post("/api/v1/hosts", body);
            Output.print(client, host, "host " + host.get("name").asText() + " registered as #" + host.get("id").asLong());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List registered hosts.")
    static final class ListHosts implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            JsonNode hosts = Hosts.all(client.client());
            StringBuilder text = new StringBuilder();
            for (JsonNode h : hosts) {
                text.append(String.format("#%-5d %-30s %s@%s:%d%s%n", h.get("id").asLong(), h.get("name").asText(),
                        h.get("user").asText(), h.get("address").asText(), h.get("port").asInt(),
                        h.get("labels").isEmpty() ? "" : "  " + h.get("labels")));
            }
            Output.print(client, hosts, text.toString().stripTrailing());
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one host.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Parameters(paramLabel = "HOST", description = "Name or id.")
        String host;

        @Override
        public Integer call() {
            ApiClient api = client.client();
            JsonNode h = api.get("/api/v1/hosts/" + Hosts.id(api, host));
            Output.print(client, h, Output.pretty(h));
            return 0;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a host that has no unfinished migration.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Parameters(paramLabel = "HOST", description = "Name or id.")
        String host;

        @Override
        public Integer call() {
            ApiClient api = client.client();
            long id = Hosts.id(api, host);
            api.delete("/api/v1/hosts/" + id);
            client.out().println("host #" + id + " removed");
            return 0;
        }
    }
}
