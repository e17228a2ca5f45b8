package dev.ferry.migrations.inventory.nginx;

import java.util.List;

/**
 * One directive of an nginx configuration, with where it was written.
 *
 * @param args  its arguments, unquoted; a {@code *_by_lua_block}'s Lua code is its one argument
 * @param block the directives inside its braces; null when it has none
 */
public record Directive(String name, List<String> args, List<Directive> block, String file, int line) {

    public Directive {
        args = List.copyOf(args);
        block = block == null ? null : List.copyOf(block);
    }

    public String arg(int i) {
        return i < args.size() ? args.get(i) : null;
    }
}
