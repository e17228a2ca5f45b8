package dev.ferry.migrations.inventory.nginx;

import dev.ferry.migrations.inventory.Fixtures;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/**
 * Whatever the input, reading a configuration either works or fails with the reader's own parse error: never
 * an index, number-format or stack-overflow error from inside. Random text, text made of nginx's own
 * characters, and a real dump with random edits.
 */
class NginxTokenizerPropertyTest {

    static final String REAL = Fixtures.read("nginx/legacy-host-nginx-T.txt");

    static void readsOrFailsCleanly(String text) {
        try {
            NginxSites.from(NginxDump.parse("# configuration file /etc/nginx/nginx.conf:\n" + text).effective());
        } catch (NginxParseException expected) {
            // the only acceptable failure
        }
    }

    @Property(tries = 2000)
    void randomText(@ForAll @StringLength(max = 300) String text) {
        readsOrFailsCleanly(text);
    }

    @Property(tries = 3000)
    void textOfNginxsOwnCharacters(@ForAll("nginxish") String text) {
        readsOrFailsCleanly(text);
    }

    @Property(tries = 500)
    void aRealDumpWithRandomEdits(@ForAll("edits") int[] edits) {
        StringBuilder s = new StringBuilder(REAL);
        String alphabet = "{};\"'\\#$ \n[]-=ab";
        for (int i = 0; i + 1 < edits.length; i += 2) {
            int at = Math.floorMod(edits[i], s.length() + 1);
            int what = Math.floorMod(edits[i + 1], alphabet.length() + 1);
            if (what == alphabet.length()) {
                if (at < s.length()) {
                    s.deleteCharAt(at);
                }
            } else {
                s.insert(at, alphabet.charAt(what));
            }
        }
        try {
            NginxSites.from(NginxDump.parse(s.toString()).effective());
        } catch (NginxParseException expected) {
            // the only acceptable failure
        }
    }

    @Provide
    Arbitrary<String> nginxish() {
        Arbitrary<String> prefix = Arbitraries.of("", "server ", "location ", "listen ", "include ", "fastcgi_pass ",
                "content_by_lua_block ", "http { server { ", "http { server { listen ");
        Arbitrary<String> body = Arbitraries.strings().withChars("{};\"'\\#$ \n\tabcxyz=[]-_:/*?0123456789"
                .toCharArray()).ofMaxLength(200);
        return Combinators.combine(prefix, body).as((p, b) -> p + b);
    }

    @Provide
    Arbitrary<int[]> edits() {
        return Arbitraries.integers().array(int[].class).ofMinSize(2).ofMaxSize(12);
    }
}
