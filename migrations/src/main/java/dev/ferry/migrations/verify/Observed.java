package dev.ferry.migrations.verify;

import dev.ferry.migrations.port.Prober;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What one side answered to a probe, without the body: enough to compare it with an answer taken later (the
 * verification after cutover compares its answers with the legacy ones kept in this phase's report).
 *
 * @param status           the HTTP status; 0 when no answer came
 * @param contentType      the Content-Type header, or null
 * @param location         the Location header as the side's {@link Normalizer} reads it, or null
 * @param bodySha256       the body's SHA-256, hex
 * @param normalizedSha256 the SHA-256 of the body as the side's {@link Normalizer} rewrites it
 * @param bodyBytes        the body's length (up to the prober's limit)
 * @param truncated        the body was longer than the prober reads
 * @param excerpt          the start of the normalised body, for people; a note instead for binary bodies
 * @param error            why no answer came; null when one did
 */
public record Observed(int status, String contentType, String location, String bodySha256, String normalizedSha256,
                       long bodyBytes, boolean truncated, String excerpt, String error) {

    /** Characters of the normalised body kept as the excerpt. */
    public static final int EXCERPT_CHARS = 200;

    public static Observed of(Prober.Response response, Normalizer normalizer, String hostName) {
        if (!response.answered()) {
            return new Observed(0, null, null, null, null, 0, false, null, response.error());
        }
        byte[] body = response.body();
        byte[] normalized = normalizer.body(body);
        return new Observed(response.status(), response.contentType(),
                normalizer.location(response.location(), hostName), sha256(body), sha256(normalized), body.length,
                response.truncated(), excerpt(normalized), null);
    }

    public boolean answered() {
        return error == null;
    }

    private static String excerpt(byte[] body) {
        // Enough bytes for the excerpt's characters in any UTF-8; a cut character at the end is dropped.
        byte[] head = Arrays.copyOf(body, Math.min(body.length, EXCERPT_CHARS * 4));
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(trimCut(head)))
                    .toString();
        } catch (CharacterCodingException e) {
            return "(" + body.length + " bytes, not text)";
        }
        if (text.chars().anyMatch(c -> c == 0)) {
            return "(" + body.length + " bytes, not text)";
        }
        return text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS);
    }

    /** Drops a UTF-8 sequence cut off at the end of {@code head}. */
    private static byte[] trimCut(byte[] head) {
        int end = head.length;
        int back = 0;
        while (back < 3 && end - back - 1 >= 0 && (head[end - back - 1] & 0xC0) == 0x80) {
            back++;
        }
        int lead = end - back - 1;
        if (lead >= 0) {
            int b = head[lead] & 0xFF;
            int needed = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
            if (needed > back) {
                return Arrays.copyOf(head, lead);
            }
        }
        return head;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
