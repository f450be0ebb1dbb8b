package io.ecsbluegreen.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The API's bearer token. Only its SHA-256 digest is kept, and requests are compared digest to digest
 * with {@link MessageDigest#isEqual}, so the comparison takes the same time whatever the guess, and the
 * token itself is never logged.
 */
public final class ApiToken {
    /** Where a generated token is written, relative to the working directory; the CLI reads it there. */
    public static final Path DEFAULT_FILE = Path.of(".bluegreen", "api-token");

    private final byte[] digest;
    private final String origin;

    private ApiToken(String token, String origin) {
        if (token.isBlank()) throw new IllegalArgumentException("the API token from " + origin + " is empty");
        this.digest = sha256(token.strip());
        this.origin = origin;
    }

    /**
     * The configured token ({@code bluegreen.api.token}), else the one in {@code tokenFile}, else a new
     * random one written to {@code generatedFile} (owner-only where the file system allows).
     */
    public static ApiToken resolve(Optional<String> token, Optional<Path> tokenFile, Path generatedFile) throws IOException {
        if (token.isPresent()) return new ApiToken(token.get(), "bluegreen.api.token");
        if (tokenFile.isPresent()) {
            return new ApiToken(Files.readString(tokenFile.get(), StandardCharsets.UTF_8), tokenFile.get().toString());
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path parent = generatedFile.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, "api-token", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own permissions apply
        }
        Files.writeString(tmp, generated + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, generatedFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return new ApiToken(generated, generatedFile + " (generated)");
    }

    /** Where the token came from, for the start-up log line (never the token). */
    public String origin() {
        return origin;
    }

    /** Whether an {@code Authorization} header value carries this token. */
    public boolean matches(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        return MessageDigest.isEqual(digest, sha256(authorization.substring(7).strip()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
