package dev.ferry.daemon.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The bearer token every API call but {@code /healthz} must carry: from the configuration, or generated at
 * first start into {@code <data>/api-token} (mode 0600) and read from there afterwards.
 */
public final class ApiToken {

    public static final String FILE_NAME = "api-token";

    private final byte[] token;

    private ApiToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    public static ApiToken of(String token) {
        return new ApiToken(token);
    }

    /** The configured token if there is one, else the token file, created on first use. */
    public static ApiToken configuredOrFile(String configured, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            return new ApiToken(configured.strip());
        }
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(file)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                try {
                    // Created with 0600 from the start, so the token is never readable by others, not even briefly.
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, generated + "\n");
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first: use theirs
                }
            }
            String token = Files.readString(file).strip();
            if (token.length() < 16) {
                throw new IllegalStateException(file + " holds no usable token (at least 16 characters); delete it "
                        + "to have a new one generated");
            }
            return new ApiToken(token);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the API token file " + file, e);
        }
    }

    /** Constant-time comparison, so response times do not leak how much of a guess was right. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    public String value() {
        return new String(token, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ApiToken[***]";
    }
}
