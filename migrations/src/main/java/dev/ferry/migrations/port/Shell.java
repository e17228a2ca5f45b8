package dev.ferry.migrations.port;

import java.util.Collection;
import java.util.stream.Collectors;

/** Quoting for POSIX sh: the only way text from users or legacy hosts may enter a remote command. */
public final class Shell {

    private Shell() {
    }

    /**
     * Quotes one word: single quotes, each single quote inside written as {@code '\''}. Safe for any string
     * without NUL (which no sh argument can hold; refused).
     */
    public static String quote(String word) {
        if (word.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell word cannot contain NUL");
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Quotes each word and joins them with spaces: an argv as one command line. */
    public static String join(Collection<String> words) {
        return words.stream().map(Shell::quote).collect(Collectors.joining(" "));
    }
}
