package dev.ferry.daemon.cli;

import dev.ferry.daemon.api.ApiToken;
import dev.ferry.daemon.config.FerryConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where the daemon is and how to prove who we are: from the same configuration ferryd reads ({@code --config},
 * FERRY_* variables), overridable with {@code --url} and {@code --token-file}.
 */
final class ClientOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "ferryd's configuration (default ./ferry.yaml; $FERRY_CONFIG).")
    Path config;

    @Option(names = "--url", paramLabel = "URL", description = "The daemon's address (default from api.bind and api.port).")
    URI url;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the API token (default api.token or <dataDir>/api-token).")
    Path tokenFile;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json (the API's answer as is).")
    String output;

    ApiClient client() {
        if (!output.equals("text") && !output.equals("json")) {
            throw new CliFailure(CliFailure.USAGE, "--output must be text or json");
        }
        FerryConfig cfg = DaemonCommand.load(config);
        URI base = url != null ? url : URI.create("http://" + reachable(cfg.api().bind()) + ":" + cfg.api().port());
        return new ApiClient(base, token(cfg));
    }

    boolean json() {
        return output.equals("json");
    }

    /** Where the command prints (picocli's writer, so tests and callers can capture it). */
    PrintWriter out() {
        return command.commandLine().getOut();
    }

    private String token(FerryConfig cfg) {
        if (tokenFile == null && cfg.api().token() != null && !cfg.api().token().isBlank()) {
            return cfg.api().token().strip();
        }
        Path file = tokenFile != null ? tokenFile : cfg.dataDir().resolve(ApiToken.FILE_NAME);
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new CliFailure(CliFailure.USAGE, "cannot read the API token from " + file
                    + " (give --token-file, or run where ferryd's data directory is)");
        }
    }

    /** A daemon listening on every address is reached on loopback. */
    private static String reachable(String bind) {
        return bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind.contains(":") ? "[" + bind + "]" : bind;
    }
}
