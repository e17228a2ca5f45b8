package dev.ferry.migrations.inventory.nginx;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an nginx configuration into tokens the way nginx's own reader ({@code ngx_conf_read_token}) does:
 * words end at whitespace, {@code ;} or {@code {}; a {@code }} ends a directive only where a token could start;
 * {@code #} starts a comment only there too; quotes and backslashes escape; {@code ${var}} stays one word. The
 * lua module's {@code *_by_lua_block} directives take their Lua body raw, up to the brace that closes it.
 */
public final class NginxTokenizer {

    private final String text;
    private final String file;
    private final List<Token> tokens = new ArrayList<>();
    private int at;
    private int line = 1;

    private NginxTokenizer(String text, String file) {
        this.text = text;
        this.file = file;
    }

    public static List<Token> tokenize(String text, String file) {
        NginxTokenizer t = new NginxTokenizer(text, file);
        t.run();
        return List.copyOf(t.tokens);
    }

    private void run() {
        boolean directiveStart = true;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '\n') {
                line++;
                at++;
            } else if (Character.isWhitespace(c)) {
                at++;
            } else if (c == '#') {
                while (at < text.length() && text.charAt(at) != '\n') {
                    at++;
                }
            } else if (c == ';' || c == '{' || c == '}') {
                tokens.add(new Token(c == ';' ? Token.Kind.SEMICOLON : c == '{' ? Token.Kind.OPEN : Token.Kind.CLOSE,
                        String.valueOf(c), line));
                at++;
                directiveStart = true;
            } else {
                String word = c == '"' || c == '\'' ? quoted(c) : word();
                boolean luaBlock = directiveStart && word.endsWith("_by_lua_block");
                directiveStart = false;
                if (luaBlock) {
                    luaBody();
                    directiveStart = true;
                }
            }
        }
    }

    private String quoted(char quote) {
        int startLine = line;
        StringBuilder out = new StringBuilder();
        at++;
        while (true) {
            if (at >= text.length()) {
                throw NginxParseException.at(file, startLine, "unterminated " + quote + " string");
            }
            char c = text.charAt(at);
            if (c == '\\' && at + 1 < text.length()) {
                escape(out, text.charAt(at + 1));
                at += 2;
                continue;
            }
            if (c == quote) {
                at++;
                break;
            }
            if (c == '\n') {
                line++;
            }
            out.append(c);
            at++;
        }
        if (at < text.length()) {
            char next = text.charAt(at);
            if (!Character.isWhitespace(next) && next != ';' && next != '{' && next != ')') {
                throw NginxParseException.at(file, line, "unexpected \"" + next + "\" after a quoted string");
            }
        }
        tokens.add(new Token(Token.Kind.WORD, out.toString(), startLine));
        return out.toString();
    }

    private String word() {
        int startLine = line;
        StringBuilder out = new StringBuilder();
        boolean variable = false;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '{' && variable) {
                out.append(c);
                at++;
                variable = false;
                continue;
            }
            if (Character.isWhitespace(c) || c == ';' || c == '{') {
                break;
            }
            variable = c == '$';
            if (c == '\\' && at + 1 < text.length()) {
                char next = text.charAt(at + 1);
                if (next == '\n') {
                    line++;
                }
                escape(out, next);
                at += 2;
                continue;
            }
            out.append(c);
            at++;
        }
        tokens.add(new Token(Token.Kind.WORD, out.toString(), startLine));
        return out.toString();
    }

    /** nginx unescapes these and keeps the backslash before anything else. */
    private static void escape(StringBuilder out, char next) {
        switch (next) {
            case '"', '\'', '\\' -> out.append(next);
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'n' -> out.append('\n');
            default -> out.append('\\').append(next);
        }
    }

    /** After a {@code *_by_lua_block} name: whitespace, then {@code {}, then Lua up to the matching brace. */
    private void luaBody() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            if (text.charAt(at) == '\n') {
                line++;
            }
            at++;
        }
        if (at >= text.length() || text.charAt(at) != '{') {
            throw NginxParseException.at(file, line, "a *_by_lua_block directive needs a { Lua block }");
        }
        int startLine = line;
        int start = ++at;
        int depth = 1;
        while (true) {
            if (at >= text.length()) {
                throw NginxParseException.at(file, startLine, "unterminated Lua block");
            }
            char c = text.charAt(at);
            if (c == '\n') {
                line++;
                at++;
            } else if (c == '{') {
                depth++;
                at++;
            } else if (c == '}') {
                if (--depth == 0) {
                    tokens.add(new Token(Token.Kind.LUA_BODY, text.substring(start, at), startLine));
                    at++;
                    return;
                }
                at++;
            } else if (c == '"' || c == '\'') {
                luaString(c, startLine);
            } else if (c == '[' && longBracketLevel(at) >= 0) {
                luaLongBracket(startLine);
            } else if (c == '-' && text.startsWith("--", at)) {
                at += 2;
                if (at < text.length() && text.charAt(at) == '[' && longBracketLevel(at) >= 0) {
                    luaLongBracket(startLine);
                } else {
                    while (at < text.length() && text.charAt(at) != '\n') {
                        at++;
                    }
                }
            } else {
                at++;
            }
        }
    }

    private void luaString(char quote, int blockLine) {
        at++;
        while (true) {
            if (at >= text.length()) {
                throw NginxParseException.at(file, blockLine, "unterminated string in the Lua block");
            }
            char c = text.charAt(at);
            if (c == '\\') {
                if (at + 1 < text.length() && text.charAt(at + 1) == '\n') {
                    line++;
                }
                at += 2;
            } else if (c == quote) {
                at++;
                return;
            } else if (c == '\n') {
                throw NginxParseException.at(file, line, "unfinished string in the Lua block");
            } else {
                at++;
            }
        }
    }

    /** The level of a Lua long bracket opening at {@code from} ({@code [[} is 0, {@code [==[} is 2), or -1. */
    private int longBracketLevel(int from) {
        int i = from + 1;
        int level = 0;
        while (i < text.length() && text.charAt(i) == '=') {
            level++;
            i++;
        }
        return i < text.length() && text.charAt(i) == '[' ? level : -1;
    }

    private void luaLongBracket(int blockLine) {
        int level = longBracketLevel(at);
        String close = "]" + "=".repeat(level) + "]";
        int end = text.indexOf(close, at + level + 2);
        if (end < 0) {
            throw NginxParseException.at(file, blockLine, "unterminated long string or comment in the Lua block");
        }
        for (int i = at; i < end; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        at = end + close.length();
    }
}
