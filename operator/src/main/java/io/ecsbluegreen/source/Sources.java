package io.ecsbluegreen.source;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;

/** Rules shared by every kind of source, so that a directory, a git tree and an S3 prefix agree. */
final class Sources {

    private Sources() {}

    /**
     * Whether a path relative to the source root names a desired-state file: it ends with {@code .yaml} or
     * {@code .yml} (in any case) and no segment starts with a dot (so {@code .git/},
     * {@code .github/workflows/*.yml} and editor files such as {@code .#svc.yaml} are ignored).
     */
    static boolean isDesiredStateFile(String relativePath) {
        String lower = relativePath.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".yaml") && !lower.endsWith(".yml")) {
            return false;
        }
        for (String segment : relativePath.split("/")) {
            if (segment.startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    static String sha256Hex(byte[] content) {
        return HexFormat.of().formatHex(sha256().digest(content));
    }

    /**
     * The revision of a listing without a natural one: SHA-256 over (name, version) pairs in name order. A
     * NUL and a newline separate the fields; neither occurs in paths, keys or versions.
     */
    static String digestRevision(SortedMap<String, String> versionsByName) {
        MessageDigest digest = sha256();
        versionsByName.forEach((name, version) -> {
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(version.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
        });
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Sorts files by path, the order {@link SourceListing} promises. */
    static List<SourceFile> sorted(List<SourceFile> files) {
        return files.stream().sorted(Comparator.comparing(SourceFile::path)).toList();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
