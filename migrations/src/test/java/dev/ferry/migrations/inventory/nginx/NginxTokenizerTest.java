package dev.ferry.migrations.inventory.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NginxTokenizerTest {

    static List<Directive> parse(String text) {
        return NginxConfigParser.parse(text, "test.conf");
    }

    @Test
    void quotesEscapesAndBracesInsideStringsStayInTheirWord() {
        List<Directive> d = parse("""
                add_header X-A "a; b { c } # d";
                add_header 'X-B' 'it\\'s';
                return 200 "tab\\there\\nnew \\"q\\" \\\\ \\x";
                set $a \\;semi;
                """);
        assertThat(d.get(0).args()).containsExactly("X-A", "a; b { c } # d");
        assertThat(d.get(1).args()).containsExactly("X-B", "it's");
        assertThat(d.get(2).args()).containsExactly("200", "tab\there\nnew \"q\" \\ \\x");
        // As in nginx: the escaped ; does not end the word, and the backslash before it stays.
        assertThat(d.get(3).args()).containsExactly("$a", "\\;semi");
    }

    @Test
    void commentsStartOnlyWhereATokenCouldStart() {
        List<Directive> d = parse("""
                # a comment; with { braces
                root /var/www/a#b; # trailing
                """);
        assertThat(d).hasSize(1);
        assertThat(d.getFirst().args()).containsExactly("/var/www/a#b");
        assertThat(d.getFirst().line()).isEqualTo(2);
    }

    @Test
    void variablesInBracesStayOneWordAndAClosingBraceInAWordIsPartOfIt() {
        List<Directive> d = parse("set $x ${host}_${uri}; location / { return 200 a}b; }");
        assertThat(d.get(0).args()).containsExactly("$x", "${host}_${uri}");
        assertThat(d.get(1).block().getFirst().args()).containsExactly("200", "a}b");
    }

    @Test
    void aLuaBlockIsTakenRawWithBracesInItsStringsAndComments() {
        List<Directive> d = parse("""
                location /lua {
                    content_by_lua_block {
                        local t = { a = "}" , b = '{' }  -- a } comment
                        local s = [[ } ]] --[==[ long } comment ]==]
                        if t then ngx.say("ok") end
                    }
                    access_log off;
                }
                """);
        Directive lua = d.getFirst().block().getFirst();
        assertThat(lua.name()).isEqualTo("content_by_lua_block");
        assertThat(lua.args()).hasSize(1);
        assertThat(lua.arg(0)).contains("local t = { a = \"}\" , b = '{' }").contains("ngx.say(\"ok\") end");
        assertThat(d.getFirst().block().get(1).name()).isEqualTo("access_log");
        assertThat(d.getFirst().block().get(1).line()).isEqualTo(7);
    }

    @Test
    void errorsSayWhatAndWhere() {
        assertThatThrownBy(() -> parse("root /a;\nadd_header X \"open;\n")).isInstanceOf(NginxParseException.class)
                .hasMessage("unterminated \" string in test.conf:2");
        assertThatThrownBy(() -> parse("http {\n server {\n}\n")).isInstanceOf(NginxParseException.class)
                .hasMessageContaining("the \"http\" block is not closed in test.conf:1");
        assertThatThrownBy(() -> parse("root /a;\n}\n")).hasMessage("unexpected \"}\" in test.conf:2");
        assertThatThrownBy(() -> parse("root /a")).hasMessageContaining("unexpected end of file after \"root\"");
        assertThatThrownBy(() -> parse("location / { root /a }")).hasMessageContaining("missing \";\"");
        assertThatThrownBy(() -> parse("add_header \"a\"b;")).hasMessageContaining("unexpected \"b\"");
        assertThatThrownBy(() -> parse("content_by_lua_block { ngx.say(\"x) }"))
                .hasMessageContaining("string in the Lua block");
        assertThatThrownBy(() -> parse("a {".repeat(10_000))).isInstanceOf(NginxParseException.class)
                .hasMessageContaining("nested deeper than");
    }
}
