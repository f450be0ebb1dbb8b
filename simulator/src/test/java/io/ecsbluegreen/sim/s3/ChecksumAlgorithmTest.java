package io.ecsbluegreen.sim.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The CRC algorithms against the published check values of the input {@code 123456789}. */
class ChecksumAlgorithmTest {

    private static final byte[] CHECK_INPUT = "123456789".getBytes(StandardCharsets.US_ASCII);

    @Test
    void crc32MatchesItsCheckValue() {
        assertThat(decodeInt(ChecksumAlgorithm.CRC32.compute(CHECK_INPUT))).isEqualTo(0xCBF43926);
    }

    @Test
    void crc32cMatchesItsCheckValue() {
        assertThat(decodeInt(ChecksumAlgorithm.CRC32C.compute(CHECK_INPUT))).isEqualTo(0xE3069283);
    }

    @Test
    void crc64NvmeMatchesItsCheckValue() {
        long crc = ByteBuffer.wrap(Base64.getDecoder().decode(ChecksumAlgorithm.CRC64NVME.compute(CHECK_INPUT))).getLong();

        assertThat(crc).isEqualTo(0xAE8B14860A799888L);
    }

    @Test
    void algorithmNamesParseCaseInsensitively() {
        assertThat(ChecksumAlgorithm.fromName("crc32c")).hasValue(ChecksumAlgorithm.CRC32C);
        assertThat(ChecksumAlgorithm.fromName("MD5")).isEmpty();
        assertThat(ChecksumAlgorithm.SHA256.headerName()).isEqualTo("x-amz-checksum-sha256");
    }

    private static int decodeInt(String base64) {
        return ByteBuffer.wrap(Base64.getDecoder().decode(base64)).getInt();
    }
}
