package dev.ferry.daemon.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies the {@code log} section of the configuration once it is known (logback starts with logback.xml). */
public final class Logging {

    private Logging() {
    }

    public static void apply(FerryConfig.Log log) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        if ("json".equals(log.format())) {
            context.reset();
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            try {
                configurator.doConfigure(Logging.class.getResource("/logback-json.xml"));
            } catch (JoranException e) {
                throw new IllegalStateException("cannot configure JSON logging", e);
            }
        }
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(log.level(), Level.INFO));
    }
}
