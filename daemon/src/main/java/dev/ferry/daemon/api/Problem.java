package dev.ferry.daemon.api;

import dev.ferry.state.Violation;
import java.util.List;

/**
 * An RFC 9457 problem document ({@code application/problem+json}).
 *
 * @param type     a URN naming the kind of problem; stable for clients to switch on
 * @param errors   for validation problems: each field and what is wrong with it
 */
public record Problem(String type, String title, int status, String detail, String instance,
        List<Violation> errors) {

    static final String MEDIA_TYPE = "application/problem+json";

    static String type(String name) {
        return "urn:ferry:problem:" + name;
    }
}
