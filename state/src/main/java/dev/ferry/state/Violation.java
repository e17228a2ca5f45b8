package dev.ferry.state;

/** One thing wrong with a value someone gave Ferry: which field, and what is wrong with it. */
public record Violation(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
