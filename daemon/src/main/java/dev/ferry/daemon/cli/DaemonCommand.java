package dev.ferry.daemon.cli;

import dev.ferry.daemon.Ferryd;
import dev.ferry.daemon.Steps;
import dev.ferry.daemon.config.ConfigLoader;
import dev.ferry.daemon.config.FerryConfig;
import dev.ferry.daemon.config.Logging;
import dev.ferry.daemon.engine.EngineListener;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry daemon}: runs ferryd in the foreground until SIGTERM or SIGINT. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "Run ferryd: the state store, the scheduler and the REST API.")
final class DaemonCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML configuration (default: ./ferry.yaml if present; also $FERRY_CONFIG).")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        FerryConfig cfg = load(config);
        Logging.apply(cfg.log());
        Logger log = LoggerFactory.getLogger(DaemonCommand.class);
        ConfigLoader.unknownVariables(System.getenv())
                .forEach(v -> log.warn("environment variable {} names no configuration key; ignored", v));
        log.info("configuration: {}", cfg);
        Ferryd ferryd = Ferryd.start(cfg, Steps.product(cfg, Steps.registryAuth(cfg.kubernetes())),
                EngineListener.NONE, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ferryd.close();
            stopped.countDown();
        }, "ferryd-shutdown"));
        stopped.await();
        return 0;
    }

    static FerryConfig load(Path config) {
        Path file = config;
        if (file == null && System.getenv("FERRY_CONFIG") != null) {
            file = Path.of(System.getenv("FERRY_CONFIG"));
        }
        try {
            return ConfigLoader.load(file, System.getenv());
        } catch (ConfigLoader.ConfigException e) {
            throw new FerryCommand.UsageError(e.getMessage());
        }
    }
}
