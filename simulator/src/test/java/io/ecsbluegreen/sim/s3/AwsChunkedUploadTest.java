package io.ecsbluegreen.sim.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.RawHttp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * aws-chunked uploads on the wire, built by hand: the framings the SDK and the CLI use with and
 * without chunk signatures and trailers, and the errors for broken bodies.
 */
class AwsChunkedUploadTest {

    private static final String BUCKET = "uploads";
    private static final String PAYLOAD = "line one\nline two\nand a third, longer line of text\n";

    private AwsSimulator sim;
    private RawHttp http;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start();
        sim.s3().createBucket(BUCKET);
        http = new RawHttp(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void anUnsignedChunkedBodyWithATrailingChecksumIsStoredAsItsPayload() {
        byte[] payload = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        String crc = ChecksumAlgorithm.CRC32.compute(payload);
        byte[] body = chunked(payload, 16, null, "x-amz-checksum-crc32:" + crc);

        var response = http.send("PUT", "/" + BUCKET + "/notes.txt",
                headers("STREAMING-UNSIGNED-PAYLOAD-TRAILER", payload.length, "x-amz-checksum-crc32"), body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-amz-checksum-crc32")).hasValue(crc);
        S3Object stored = sim.s3().getObject(BUCKET, "notes.txt").orElseThrow();
        assertThat(stored.contentAsString()).isEqualTo(PAYLOAD);
        assertThat(stored.checksum()).isEqualTo(crc);
    }

    @Test
    void aSignedChunkedBodyIsStoredWithoutItsChunkSignatures() {
        byte[] payload = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        byte[] body = chunked(payload, 20, "chunk-signature=" + "ab".repeat(32), null);

        var response = http.send("PUT", "/" + BUCKET + "/notes.txt",
                headers("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", payload.length, null), body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(sim.s3().getObject(BUCKET, "notes.txt").orElseThrow().contentAsString()).isEqualTo(PAYLOAD);
    }

    @Test
    void aSignedChunkedBodyWithASignedTrailerKeepsOnlyTheChecksum() {
        byte[] payload = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        String sha = ChecksumAlgorithm.SHA256.compute(payload);
        byte[] body = chunked(payload, 1024, "chunk-signature=" + "cd".repeat(32),
                "x-amz-checksum-sha256:" + sha + "\r\nx-amz-trailer-signature:" + "ef".repeat(32));

        var response = http.send("PUT", "/" + BUCKET + "/notes.txt",
                headers("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", payload.length, "x-amz-checksum-sha256"), body);

        assertThat(response.statusCode()).isEqualTo(200);
        S3Object stored = sim.s3().getObject(BUCKET, "notes.txt").orElseThrow();
        assertThat(stored.contentAsString()).isEqualTo(PAYLOAD);
        assertThat(stored.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.SHA256);
    }

    @Test
    void anEmptyChunkedUploadStoresAnEmptyObject() {
        var response = http.send("PUT", "/" + BUCKET + "/empty",
                headers("STREAMING-UNSIGNED-PAYLOAD-TRAILER", 0, null), "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(sim.s3().getObject(BUCKET, "empty").orElseThrow().size()).isZero();
    }

    @Test
    void aTrailingChecksumThatDoesNotMatchAnswersBadDigest() {
        byte[] payload = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        byte[] body = chunked(payload, 16, null, "x-amz-checksum-crc32:AAAAAA==");

        var response = http.send("PUT", "/" + BUCKET + "/notes.txt",
                headers("STREAMING-UNSIGNED-PAYLOAD-TRAILER", payload.length, "x-amz-checksum-crc32"), body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("<Code>BadDigest</Code>", "CRC32");
        assertThat(sim.s3().getObject(BUCKET, "notes.txt")).isEmpty();
    }

    @Test
    void aTruncatedChunkedBodyAnswersIncompleteBody() {
        byte[] body = "40\r\nshorter than announced\r\n".getBytes(StandardCharsets.US_ASCII);

        var response = http.send("PUT", "/" + BUCKET + "/notes.txt",
                headers("STREAMING-UNSIGNED-PAYLOAD-TRAILER", 64, null), body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("<Code>IncompleteBody</Code>");
    }

    @Test
    void aDecodedLengthThatDoesNotMatchThePayloadAnswersIncompleteBody() {
        byte[] payload = PAYLOAD.getBytes(StandardCharsets.UTF_8);

        var response = http.send("PUT", "/" + BUCKET + "/notes.txt",
                headers("STREAMING-UNSIGNED-PAYLOAD-TRAILER", payload.length + 1, null), chunked(payload, 8, null, null));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("<Code>IncompleteBody</Code>");
    }

    @Test
    void aPlainBodyWithAChecksumHeaderIsVerified() {
        byte[] payload = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of("Authorization", RawHttp.authorization("s3"),
                "x-amz-checksum-crc32c", ChecksumAlgorithm.CRC32C.compute(payload));

        var ok = http.send("PUT", "/" + BUCKET + "/good", headers, payload);
        var bad = http.send("PUT", "/" + BUCKET + "/bad", headers, "tampered".getBytes(StandardCharsets.UTF_8));

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("<Code>BadDigest</Code>");
    }

    private static Map<String, String> headers(String contentSha256, int decodedLength, String trailer) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", RawHttp.authorization("s3"));
        headers.put("Content-Encoding", "aws-chunked");
        headers.put("x-amz-content-sha256", contentSha256);
        headers.put("x-amz-decoded-content-length", Integer.toString(decodedLength));
        if (trailer != null) {
            headers.put("x-amz-trailer", trailer);
        }
        return headers;
    }

    /** Frames {@code payload} in chunks of {@code chunkSize}, with an optional extension and trailer block. */
    private static byte[] chunked(byte[] payload, int chunkSize, String extension, String trailers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String ext = extension == null ? "" : ";" + extension;
        for (int pos = 0; pos < payload.length; pos += chunkSize) {
            int size = Math.min(chunkSize, payload.length - pos);
            out.writeBytes((Integer.toHexString(size) + ext + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(payload, pos, size);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("0" + ext + "\r\n").getBytes(StandardCharsets.US_ASCII));
        if (trailers != null) {
            out.writeBytes((trailers + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
