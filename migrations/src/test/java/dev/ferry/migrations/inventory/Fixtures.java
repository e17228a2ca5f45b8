package dev.ferry.migrations.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads test fixtures: under src/test/resources/inventory/, or anywhere under src/test/resources/. */
public final class Fixtures {

    private Fixtures() {
    }

    public static String read(String path) {
        return resource("inventory/" + path);
    }

    /** A fixture by its path under src/test/resources ({@code deploy/pod-running.json}). */
    public static String resource(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
