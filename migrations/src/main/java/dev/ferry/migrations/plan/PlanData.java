package dev.ferry.migrations.plan;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The planner's tables (module packages, PHP base extensions and how to install others), from resources. */
final class PlanData {

    static final Properties NGINX_MODULES = load("nginx-modules.properties");
    static final Properties PHP_BASE = load("php-base-extensions.properties");
    static final Properties PHP_INSTALL = load("php-extension-install.properties");

    private PlanData() {
    }

    private static Properties load(String name) {
        Properties p = new Properties();
        try (InputStream in = PlanData.class.getResourceAsStream("/plan/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /plan/" + name);
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
