package dev.ferry.daemon.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.state.Json;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Prints an answer as text for a person or, with {@code --output json}, as the API's JSON. */
final class Output {

    private Output() {
    }

    static void print(ClientOptions options, JsonNode json, String text) {
        options.out().println(options.json() ? pretty(json) : text);
        options.out().flush();
    }

    static String pretty(JsonNode json) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the terminal takes UTF-8, for the progress marks. */
    static boolean unicode() {
        String enc = System.getProperty("stdout.encoding");
        Charset cs = enc == null ? Charset.defaultCharset() : Charset.forName(enc);
        return cs.equals(StandardCharsets.UTF_8);
    }
}
