package dev.ferry.migrations.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    static final Probe STATIC = Probe.of("s", "http", "s.test", 80, "/site.css", Probe.Kind.STATIC);
    static final Probe DYNAMIC = Probe.of("s", "http", "s.test", 80, "/index.php", Probe.Kind.DYNAMIC);

    static Observed answer(int status, String type, String location, String sha, String normalized) {
        return new Observed(status, type, location, sha, normalized, 10, false, "x", null);
    }

    static Observed failure(String error) {
        return new Observed(0, null, null, null, null, 0, false, null, error);
    }

    static final String A = "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12";
    static final String B = "cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34";

    @Test
    void sameAnswersMatchWhateverTheSpellingOfTheContentType() {
        assertThat(Comparison.differences(STATIC, answer(200, "text/html; charset=UTF-8", null, A, A),
                answer(200, "Text/HTML;charset=utf-8", null, A, A))).isEmpty();
    }

    @Test
    void eachDifferenceIsASentence() {
        List<String> d = Comparison.differences(STATIC, answer(200, "text/css", null, A, A),
                answer(502, "text/html", "http://s.test/", B, B));
        assertThat(d).containsExactly("status 200 on the legacy host, 502 in the cluster",
                "content type text/css on the legacy host, text/html in the cluster",
                "redirect to none on the legacy host, http://s.test/ in the cluster",
                "normalised body differs: legacy sha256 ab12ab12ab12… (10 bytes), cluster cd34cd34cd34… (10 bytes)");
    }

    @Test
    void filesMustBeTheSameBytesAndPagesTheSameOnceNormalised() {
        // Same once normalised, different bytes: a file differs, a page does not.
        assertThat(Comparison.differences(STATIC, answer(200, "text/css", null, A, A), answer(200, "text/css", null,
                B, A))).containsExactly("body differs: legacy sha256 ab12ab12ab12… (10 bytes), cluster "
                + "cd34cd34cd34… (10 bytes)");
        assertThat(Comparison.differences(DYNAMIC, answer(200, "text/html", null, A, A),
                answer(200, "text/html", null, B, A))).isEmpty();
        assertThat(Comparison.differences(DYNAMIC, answer(200, "text/html", null, A, A),
                answer(200, "text/html", null, A, B))).hasSize(1).first().asString()
                .startsWith("normalised body differs");
        // The same error page of another server version: not the site's file, compared normalised.
        assertThat(Comparison.differences(STATIC, answer(404, "text/html", null, A, A),
                answer(404, "text/html", null, B, A))).isEmpty();
    }

    @Test
    void aFailureIsADifferenceUnlessBothSidesFailedAlike() {
        assertThat(Comparison.differences(STATIC, failure("connection refused"), failure("connection refused")))
                .isEmpty();
        assertThat(Comparison.differences(STATIC, answer(200, "text/css", null, A, A), failure("timed out")))
                .containsExactly("no answer in the cluster (timed out); the legacy host answered 200");
        assertThat(Comparison.differences(STATIC, failure("connection refused"), answer(200, "text/css", null, A, A)))
                .containsExactly("no answer from the legacy host (connection refused); the cluster answered 200");
        assertThat(Comparison.differences(STATIC, failure("connection refused"), failure("timed out")))
                .containsExactly("no answer from the legacy host (connection refused); the cluster: timed out");
    }
}
