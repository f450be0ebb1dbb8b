package io.ecsbluegreen.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.sim.elb.TlsCertificates;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against an operator behind HTTPS (its usual place in production: behind a load balancer or an
 * ingress with a certificate): the same answers as over plain HTTP, the certificate verified against the
 * address's host name, and a clear error when it cannot be trusted. The stub operator serves a certificate
 * for {@code localhost} from the simulator's CA, which only these tests trust.
 */
class CliOverHttpsTest {
    @TempDir
    static Path dir;
    static TlsCertificates certificates;
    static StubOperator https;
    static StubOperator http;
    static Path jar;
    static Path trustStore;

    @BeforeAll
    static void startTheStubsAndBuildTheJar() throws Exception {
        certificates = new TlsCertificates();
        certificates.names(List.of("localhost"));
        https = new StubOperator(certificates.serverContext());
        http = new StubOperator();
        jar = dir.resolve("bluegreen-cli.jar");
        SmallCliJar.build(jar);
        trustStore = StubOperator.trustStore(certificates, dir.resolve("trust.p12"));
    }

    @AfterAll
    static void stopTheStubs() {
        https.close();
        http.close();
    }

    private static OperatorClient trusting(String api, String token) {
        return new OperatorClient(api, token, certificates.clientContext().getSocketFactory());
    }

    @Test
    void aChunkedListingAndAServiceReadOverHttpsAreTheSameAsOverHttp() throws Exception {
        OperatorClient overTls = trusting(https.api("localhost"), null);
        OperatorClient plain = new OperatorClient(http.api(), null);

        OperatorClient.Answer listing = overTls.get("/api/v1/services");
        OperatorClient.Answer one = overTls.get("/api/v1/services/catalog");

        assertThat(listing.status()).isEqualTo(200);
        assertThat(listing.body().toString()).isEqualTo(plain.get("/api/v1/services").body().toString()).contains("catalog");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.body().toString()).isEqualTo(plain.get("/api/v1/services/catalog").body().toString());
    }

    @Test
    void aCommandOverHttpsCarriesTheTokenAndIsRefusedWithoutIt() throws Exception {
        assertThat(trusting(https.api("localhost"), StubOperator.TOKEN).post("/api/v1/services/catalog/promote").status()).isEqualTo(202);
        assertThat(trusting(https.api("localhost"), "").post("/api/v1/services/catalog/promote").status()).isEqualTo(401);
        assertThat(https.authorizations).contains("Bearer " + StubOperator.TOKEN);
    }

    @Test
    void aCertificateThatDoesNotNameTheAddressesHostIsRefusedAndNothingIsSent() {
        int before = https.authorizations.size();
        // the certificate names localhost; 127.0.0.1 is the same server under a name it does not hold
        assertThatThrownBy(() -> trusting(https.api("127.0.0.1"), StubOperator.TOKEN).post("/api/v1/services/catalog/abort"))
                .isInstanceOf(OperatorClient.Unreachable.class)
                .hasMessageStartingWith("cannot talk TLS to the operator at " + https.api("127.0.0.1"))
                .hasMessageContaining("127.0.0.1")
                .hasMessageContaining("certificate must name the address's host");
        assertThat(https.authorizations).hasSize(before);
    }

    @Test
    void aCertificateFromACaTheJvmDoesNotTrustIsAClearErrorNotAQuestionWhetherTheOperatorRuns() {
        // the JDK's default trust store does not hold the simulator's CA
        assertThatThrownBy(() -> new OperatorClient(https.api("localhost"), null).get("/api/v1/services"))
                .isInstanceOf(OperatorClient.Unreachable.class)
                .hasMessageStartingWith("cannot talk TLS to the operator at ")
                .hasMessageContaining("javax.net.ssl.trustStore")
                .hasMessageNotContaining("running?");
    }

    @Test
    void anAddressThatIsNeitherHttpNorHttpsIsRefusedNamingIt() {
        assertThatThrownBy(() -> new OperatorClient("ftp://localhost:21", null).get("/api/v1/services"))
                .isInstanceOf(OperatorClient.Unreachable.class)
                .hasMessageContaining("must start with http:// or https://, not ftp://localhost:21");
    }

    @Test
    void theSmallJarPrintsTheSameStatusOverHttpsWithTheTrustStoreItIsGiven() throws Exception {
        List<String> trust = StubOperator.trusting(trustStore);

        SmallCliJar.Run overTls = SmallCliJar.run(jar, trust, "status", "--api", https.api("localhost"));
        SmallCliJar.Run plain = SmallCliJar.run(jar, List.of(), "status", "--api", http.api());
        SmallCliJar.Run untrusted = SmallCliJar.run(jar, List.of(), "status", "--api", https.api("localhost"));

        assertThat(overTls.code()).as(overTls.err()).isZero();
        assertThat(overTls.out()).isEqualTo(plain.out()).contains("catalog");
        assertThat(untrusted.code()).isNotZero();
        assertThat(untrusted.err()).contains("cannot talk TLS to the operator at https://localhost:");
    }
}
