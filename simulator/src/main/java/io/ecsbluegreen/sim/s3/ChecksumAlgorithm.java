package io.ecsbluegreen.sim.s3;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The S3 flexible-checksum algorithms. Values travel base64-encoded in {@code x-amz-checksum-<alg>}
 * headers or aws-chunked trailers; CRCs are encoded big-endian, as the SDKs do.
 */
public enum ChecksumAlgorithm {
    CRC32,
    CRC32C,
    CRC64NVME,
    SHA1,
    SHA256;

    /** The header (or trailer) that carries this checksum: {@code x-amz-checksum-crc32}, ... */
    public String headerName() {
        return "x-amz-checksum-" + name().toLowerCase(Locale.ROOT);
    }

    /** Parses an algorithm name as sent in {@code x-amz-sdk-checksum-algorithm}, case-insensitively. */
    public static Optional<ChecksumAlgorithm> fromName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (ChecksumAlgorithm algorithm : values()) {
            if (algorithm.name().equalsIgnoreCase(name.trim())) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /** The base64-encoded checksum of {@code content}. */
    public String compute(byte[] content) {
        byte[] raw = switch (this) {
            case CRC32 -> {
                CRC32 crc = new CRC32();
                crc.update(content);
                yield ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
            }
            case CRC32C -> {
                CRC32C crc = new CRC32C();
                crc.update(content);
                yield ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
            }
            case CRC64NVME -> ByteBuffer.allocate(8).putLong(Crc64Nvme.of(content)).array();
            case SHA1 -> digest("SHA-1", content);
            case SHA256 -> digest("SHA-256", content);
        };
        return Base64.getEncoder().encodeToString(raw);
    }

    private static byte[] digest(String algorithm, byte[] content) {
        try {
            return MessageDigest.getInstance(algorithm).digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides " + algorithm, e);
        }
    }

    /**
     * CRC-64/NVME (reflected polynomial {@code 0x9a6c9329ac4bc9b5}, initial value and final XOR all ones),
     * the algorithm S3 defaults to. The SDK computes it only through the CRT, so it is written out here.
     */
    static final class Crc64Nvme {

        private static final long[] TABLE = new long[256];

        static {
            for (int i = 0; i < 256; i++) {
                long crc = i;
                for (int bit = 0; bit < 8; bit++) {
                    crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9a6c9329ac4bc9b5L : crc >>> 1;
                }
                TABLE[i] = crc;
            }
        }

        private Crc64Nvme() {}

        static long of(byte[] content) {
            long crc = -1L;
            for (byte b : content) {
                crc = TABLE[(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
            }
            return ~crc;
        }
    }
}
