package io.ecsbluegreen.sim.s3;

import io.ecsbluegreen.sim.protocol.AwsErrorException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes the {@code aws-chunked} content encoding SDKs use to stream a payload with a trailing
 * checksum ({@code x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER}) or with per-chunk
 * signatures ({@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]}):
 *
 * <pre>
 * 400;chunk-signature=...\r\n   (the extension appears only in signed variants)
 * &lt;0x400 bytes&gt;\r\n
 * 0\r\n
 * x-amz-checksum-crc32:AAAAAA==\r\n   (trailers, optional)
 * \r\n
 * </pre>
 *
 * Signatures are not checked, as nowhere in the simulator.
 */
final class AwsChunkedDecoder {

    /**
     * @param payload the decoded object bytes
     * @param trailers trailing headers by lower-case name ({@code x-amz-checksum-crc32}); signatures dropped
     */
    record Decoded(byte[] payload, Map<String, String> trailers) {}

    private AwsChunkedDecoder() {}

    /** Whether a request body is aws-chunked, judged from its headers. */
    static boolean isAwsChunked(String contentEncoding, String contentSha256) {
        boolean encoded = contentEncoding != null
                && contentEncoding.toLowerCase(Locale.ROOT).contains("aws-chunked");
        boolean streaming = contentSha256 != null && contentSha256.startsWith("STREAMING-");
        return encoded || streaming;
    }

    static Decoded decode(byte[] body) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream(body.length);
        int pos = 0;
        while (true) {
            int lineEnd = indexOfCrlf(body, pos);
            if (lineEnd < 0) {
                throw malformed("chunk header without CRLF at byte " + pos);
            }
            String header = new String(body, pos, lineEnd - pos, StandardCharsets.US_ASCII);
            pos = lineEnd + 2;
            int size = chunkSize(header);
            if (size == 0) {
                break;
            }
            if (size > body.length - pos - 2) {
                throw malformed("chunk of " + size + " bytes runs past the end of the body");
            }
            payload.write(body, pos, size);
            pos += size;
            if (body[pos] != '\r' || body[pos + 1] != '\n') {
                throw malformed("chunk data not followed by CRLF at byte " + pos);
            }
            pos += 2;
        }
        Map<String, String> trailers = new LinkedHashMap<>();
        while (pos < body.length) {
            int lineEnd = indexOfCrlf(body, pos);
            int end = lineEnd < 0 ? body.length : lineEnd;
            String line = new String(body, pos, end - pos, StandardCharsets.US_ASCII);
            pos = end + 2;
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw malformed("trailer without colon: " + line);
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (!name.equals("x-amz-trailer-signature")) {
                trailers.put(name, line.substring(colon + 1).trim());
            }
        }
        return new Decoded(payload.toByteArray(), trailers);
    }

    private static int chunkSize(String header) {
        int semicolon = header.indexOf(';');
        String hex = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
        try {
            int size = Integer.parseInt(hex, 16);
            if (size < 0) {
                throw malformed("negative chunk size " + hex);
            }
            return size;
        } catch (NumberFormatException e) {
            throw malformed("chunk size is not hexadecimal: " + header);
        }
    }

    private static int indexOfCrlf(byte[] body, int from) {
        for (int i = from; i < body.length - 1; i++) {
            if (body[i] == '\r' && body[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static AwsErrorException malformed(String detail) {
        return new AwsErrorException(400, "IncompleteBody", "The aws-chunked request body is malformed: " + detail);
    }
}
