package dev.ferry.migrations.inventory.apps;

import dev.ferry.migrations.inventory.InventoryParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Just enough of PHP's lexer and literal syntax to read configuration files: strings in both quote styles with their
 * escapes, comments, numbers, array literals. Anything computed (getenv(), concatenation, interpolation) reads as
 * {@link #COMPUTED}. Errors name a line, never the text: these files hold passwords.
 */
final class PhpSource {

    /** A value that only running PHP could tell. */
    static final Object COMPUTED = new Object() {
        @Override
        public String toString() {
            return "<computed>";
        }
    };

    enum Kind { STRING, NUMBER, IDENT, VAR, PUNCT }

    /** {@code text} is the decoded value of a string, null for one PHP would interpolate. */
    record Token(Kind kind, String text, int line) {

        boolean is(String punct) {
            return kind == Kind.PUNCT && text.equals(punct);
        }

        boolean isIdent(String name) {
            return kind == Kind.IDENT && text.equalsIgnoreCase(name);
        }
    }

    private final String command;
    private final List<Token> tokens;

    PhpSource(String path, String content) {
        this.command = "cat " + path;
        this.tokens = new Lexer(command, content == null ? "" : content).run();
    }

    List<Token> tokens() {
        return tokens;
    }

    InventoryParseException error(int line, String what) {
        return new InventoryParseException(command, "line " + line + ": " + what);
    }

    /** The literal value starting at token {@code i}, and where it ends; a computed value ends at the next , ) ] or ;. */
    record Value(Object value, int next) {
    }

    Value value(int i) {
        if (i >= tokens.size()) {
            return new Value(COMPUTED, i);
        }
        Token t = tokens.get(i);
        Value simple = null;
        if (t.kind == Kind.STRING) {
            simple = new Value(t.text == null ? COMPUTED : t.text, i + 1);
        } else if (t.kind == Kind.NUMBER) {
            simple = new Value(t.text, i + 1);
        } else if (t.isIdent("array") && i + 1 < tokens.size() && tokens.get(i + 1).is("(")) {
            simple = array(i + 2, ")");
        } else if (t.is("[")) {
            simple = array(i + 1, "]");
        } else if (t.isIdent("true") || t.isIdent("false") || t.isIdent("null")) {
            simple = new Value(t.text.toLowerCase(Locale.ROOT), i + 1);
        }
        if (simple != null && simple.next < tokens.size() && endsExpression(tokens.get(simple.next))) {
            return simple;
        }
        return new Value(COMPUTED, skipExpression(i));
    }

    private Value array(int i, String close) {
        Map<String, Object> map = new LinkedHashMap<>();
        int index = 0;
        while (true) {
            if (i >= tokens.size()) {
                throw error(tokens.getLast().line, "unterminated array");
            }
            if (tokens.get(i).is(close)) {
                return new Value(map, i + 1);
            }
            Value first = value(i);
            String key;
            Object value;
            if (first.next < tokens.size() && tokens.get(first.next).is("=>")) {
                Value second = value(first.next + 1);
                key = first.value instanceof String s ? s : "<computed>";
                value = second.value;
                i = second.next;
            } else {
                key = Integer.toString(index++);
                value = first.value;
                i = first.next;
            }
            map.put(key, value);
            if (i < tokens.size() && tokens.get(i).is(",")) {
                i++;
            } else if (i >= tokens.size() || !tokens.get(i).is(close)) {
                throw error(i < tokens.size() ? tokens.get(i).line : tokens.getLast().line,
                        "expected , or " + close + " in an array");
            }
        }
    }

    private static boolean endsExpression(Token t) {
        return t.is(",") || t.is(")") || t.is("]") || t.is(";") || t.is("=>");
    }

    private int skipExpression(int i) {
        int depth = 0;
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            if (depth == 0 && endsExpression(t)) {
                return i;
            }
            if (t.is("(") || t.is("[") || t.is("{")) {
                depth++;
            } else if (t.is(")") || t.is("]") || t.is("}")) {
                depth--;
            }
            i++;
        }
        return i;
    }

    private static final class Lexer {
        private final String command;
        private final String s;
        private final List<Token> out = new ArrayList<>();
        private int pos;
        private int line = 1;

        Lexer(String command, String s) {
            this.command = command;
            this.s = s;
        }

        List<Token> run() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '\n') {
                    line++;
                    pos++;
                } else if (Character.isWhitespace(c)) {
                    pos++;
                } else if (s.startsWith("<?php", pos)) {
                    pos += 5;
                } else if (s.startsWith("<?=", pos)) {
                    pos += 3;
                } else if (s.startsWith("?>", pos)) {
                    pos += 2;
                } else if (s.startsWith("//", pos) || c == '#') {
                    while (pos < s.length() && s.charAt(pos) != '\n' && !s.startsWith("?>", pos)) {
                        pos++;
                    }
                } else if (s.startsWith("/*", pos)) {
                    int start = line;
                    int end = s.indexOf("*/", pos + 2);
                    if (end < 0) {
                        throw fail(start, "unterminated /* comment");
                    }
                    advanceTo(end + 2);
                } else if (c == '\'') {
                    singleQuoted();
                } else if (c == '"') {
                    doubleQuoted();
                } else if (s.startsWith("<<<", pos)) {
                    heredoc();
                } else if (c == '$' && pos + 1 < s.length() && identStart(s.charAt(pos + 1))) {
                    int start = pos++;
                    skipIdent();
                    out.add(new Token(Kind.VAR, s.substring(start, pos), line));
                } else if (identStart(c)) {
                    int start = pos;
                    skipIdent();
                    out.add(new Token(Kind.IDENT, s.substring(start, pos), line));
                } else if (Character.isDigit(c)) {
                    int start = pos;
                    while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
                        pos++;
                    }
                    out.add(new Token(Kind.NUMBER, s.substring(start, pos), line));
                } else if (s.startsWith("=>", pos)) {
                    out.add(new Token(Kind.PUNCT, "=>", line));
                    pos += 2;
                } else {
                    out.add(new Token(Kind.PUNCT, String.valueOf(c), line));
                    pos++;
                }
            }
            return out;
        }

        private void singleQuoted() {
            int start = line;
            StringBuilder b = new StringBuilder();
            pos++;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '\\' && pos + 1 < s.length() && (s.charAt(pos + 1) == '\'' || s.charAt(pos + 1) == '\\')) {
                    b.append(s.charAt(pos + 1));
                    pos += 2;
                } else if (c == '\'') {
                    pos++;
                    out.add(new Token(Kind.STRING, b.toString(), start));
                    return;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    b.append(c);
                    pos++;
                }
            }
            throw fail(start, "unterminated string");
        }

        private void doubleQuoted() {
            int start = line;
            StringBuilder b = new StringBuilder();
            boolean interpolated = false;
            pos++;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '\\' && pos + 1 < s.length()) {
                    char n = s.charAt(pos + 1);
                    switch (n) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case '0' -> b.append('\0');
                        case '\\', '"', '$' -> b.append(n);
                        default -> b.append(c).append(n);
                    }
                    if (n == '\n') {
                        line++;
                    }
                    pos += 2;
                } else if (c == '"') {
                    pos++;
                    out.add(new Token(Kind.STRING, interpolated ? null : b.toString(), start));
                    return;
                } else {
                    if (c == '$' && pos + 1 < s.length() && (identStart(s.charAt(pos + 1)) || s.charAt(pos + 1) == '{')) {
                        interpolated = true;
                    } else if (c == '{' && pos + 1 < s.length() && s.charAt(pos + 1) == '$') {
                        interpolated = true;
                    }
                    if (c == '\n') {
                        line++;
                    }
                    b.append(c);
                    pos++;
                }
            }
            throw fail(start, "unterminated string");
        }

        private void heredoc() {
            int start = line;
            pos += 3;
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
                pos++;
            }
            boolean quoted = pos < s.length() && (s.charAt(pos) == '\'' || s.charAt(pos) == '"');
            if (quoted) {
                pos++;
            }
            int nameStart = pos;
            skipIdent();
            String name = s.substring(nameStart, pos);
            if (name.isEmpty()) {
                throw fail(start, "heredoc without a name");
            }
            int nl = s.indexOf('\n', pos);
            while (nl >= 0) {
                advanceTo(nl + 1);
                int i = pos;
                while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                    i++;
                }
                if (s.startsWith(name, i) && (i + name.length() >= s.length() || !identPart(s.charAt(i + name.length())))) {
                    pos = i + name.length();
                    out.add(new Token(Kind.STRING, null, start));
                    return;
                }
                nl = s.indexOf('\n', pos);
            }
            throw fail(start, "unterminated heredoc");
        }

        private void advanceTo(int end) {
            for (int i = pos; i < end; i++) {
                if (s.charAt(i) == '\n') {
                    line++;
                }
            }
            pos = end;
        }

        private void skipIdent() {
            while (pos < s.length() && identPart(s.charAt(pos))) {
                pos++;
            }
        }

        private static boolean identStart(char c) {
            return Character.isLetter(c) || c == '_' || c >= 0x80;
        }

        private static boolean identPart(char c) {
            return identStart(c) || Character.isDigit(c);
        }

        private InventoryParseException fail(int at, String what) {
            return new InventoryParseException(command, "line " + at + ": " + what);
        }
    }
}
