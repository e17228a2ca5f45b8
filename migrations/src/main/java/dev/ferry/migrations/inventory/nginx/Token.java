package dev.ferry.migrations.inventory.nginx;

/**
 * One token of an nginx configuration.
 *
 * @param text for a {@link Kind#WORD}, the word with quotes removed and escapes applied; for a
 *             {@link Kind#LUA_BODY}, the Lua code between the braces, raw
 * @param line the line the token starts on, from 1
 */
public record Token(Kind kind, String text, int line) {

    public enum Kind { WORD, SEMICOLON, OPEN, CLOSE, LUA_BODY }
}
