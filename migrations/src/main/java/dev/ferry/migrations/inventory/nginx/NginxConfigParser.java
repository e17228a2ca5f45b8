package dev.ferry.migrations.inventory.nginx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Builds the directive tree of one configuration file. Iterative, with a bound on nesting, so that hostile
 * input fails with a parse error rather than a stack overflow.
 */
public final class NginxConfigParser {

    /** Far deeper than any real configuration (http, server, location, if, nested locations). */
    static final int MAX_DEPTH = 64;

    private NginxConfigParser() {
    }

    private static final class Frame {
        final String name;
        final List<String> args;
        final int line;
        final List<Directive> children = new ArrayList<>();

        Frame(String name, List<String> args, int line) {
            this.name = name;
            this.args = args;
            this.line = line;
        }
    }

    public static List<Directive> parse(String text, String file) {
        Deque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(null, List.of(), 0));
        List<String> words = new ArrayList<>();
        int line = 0;
        for (Token t : NginxTokenizer.tokenize(text, file)) {
            switch (t.kind()) {
                case WORD -> {
                    if (words.isEmpty()) {
                        line = t.line();
                    }
                    words.add(t.text());
                }
                case LUA_BODY -> {
                    words.add(t.text());
                    stack.peek().children.add(directive(words, null, file, line));
                    words.clear();
                }
                case SEMICOLON -> {
                    if (words.isEmpty()) {
                        throw NginxParseException.at(file, t.line(), "unexpected \";\"");
                    }
                    stack.peek().children.add(directive(words, null, file, line));
                    words.clear();
                }
                case OPEN -> {
                    if (words.isEmpty()) {
                        throw NginxParseException.at(file, t.line(), "unexpected \"{\"");
                    }
                    if (stack.size() > MAX_DEPTH) {
                        throw NginxParseException.at(file, t.line(), "blocks nested deeper than " + MAX_DEPTH);
                    }
                    stack.push(new Frame(words.getFirst(), List.copyOf(words.subList(1, words.size())), line));
                    words.clear();
                }
                case CLOSE -> {
                    if (!words.isEmpty()) {
                        throw NginxParseException.at(file, t.line(), "unexpected \"}\" after \"" + words.getFirst()
                                + "\" (missing \";\"?)");
                    }
                    if (stack.size() == 1) {
                        throw NginxParseException.at(file, t.line(), "unexpected \"}\"");
                    }
                    Frame done = stack.pop();
                    stack.peek().children.add(new Directive(done.name, done.args, done.children, file, done.line));
                }
            }
        }
        if (!words.isEmpty()) {
            throw NginxParseException.at(file, line, "unexpected end of file after \"" + words.getFirst()
                    + "\", expecting \";\" or \"}\"");
        }
        if (stack.size() > 1) {
            throw NginxParseException.at(file, stack.peek().line, "unexpected end of file: the \"" + stack.peek().name
                    + "\" block is not closed");
        }
        return List.copyOf(stack.peek().children);
    }

    private static Directive directive(List<String> words, List<Directive> block, String file, int line) {
        return new Directive(words.getFirst(), words.subList(1, words.size()), block, file, line);
    }
}
