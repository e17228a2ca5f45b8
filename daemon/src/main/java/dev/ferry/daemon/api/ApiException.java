package dev.ferry.daemon.api;

import dev.ferry.state.Violation;
import java.util.List;

/** A request the API refuses, with the HTTP status and problem type to answer with. */
final class ApiException extends RuntimeException {

    final int status;
    final String type;
    final String title;
    final List<Violation> errors;

    ApiException(int status, String type, String title, String detail) {
        this(status, type, title, detail, List.of());
    }

    ApiException(int status, String type, String title, String detail, List<Violation> errors) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = errors;
    }

    static ApiException badRequest(String detail) {
        return new ApiException(400, "invalid-request", "Invalid request", detail);
    }
}
