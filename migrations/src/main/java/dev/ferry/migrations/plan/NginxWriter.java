package dev.ferry.migrations.plan;

import dev.ferry.migrations.inventory.nginx.Directive;
import java.util.List;

/** Writes directives back as nginx configuration text, quoting arguments only where nginx needs it. */
public final class NginxWriter {

    private NginxWriter() {
    }

    public static String write(List<Directive> directives) {
        StringBuilder out = new StringBuilder();
        write(out, directives, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, List<Directive> directives, int depth) {
        for (Directive d : directives) {
            out.append("    ".repeat(depth)).append(d.name());
            if (d.name().endsWith("_by_lua_block")) {
                out.append(" {").append(d.arg(0)).append("}\n");
                continue;
            }
            for (String a : d.args()) {
                out.append(' ').append(quote(a));
            }
            if (d.block() == null) {
                out.append(";\n");
            } else {
                out.append(" {\n");
                write(out, d.block(), depth + 1);
                out.append("    ".repeat(depth)).append("}\n");
            }
        }
    }

    /** As the tokenizer reads it back: plain when it can be, else double-quoted with \ and " escaped. */
    static String quote(String arg) {
        boolean plain = !arg.isEmpty() && arg.chars().noneMatch(c -> Character.isWhitespace(c) || c == ';'
                || c == '{' || c == '}' || c == '"' || c == '\'' || c == '\\' || c == '#')
                || arg.matches("[^\\s;\"'\\\\#]*\\$\\{[^}\\s]*}[^\\s;\"'\\\\#{}]*");
        if (plain) {
            return arg;
        }
        return "\"" + arg.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
