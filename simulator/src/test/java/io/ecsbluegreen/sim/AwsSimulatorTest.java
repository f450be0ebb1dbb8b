package io.ecsbluegreen.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/** Start-up, binding, routing, statistics and control endpoints of the simulator core. */
class AwsSimulatorTest {

    @Test
    void startsOnAnEphemeralLoopbackPort() {
        try (AwsSimulator sim = AwsSimulator.start(SimulatorConfig.defaults())) {
            assertThat(sim.endpoint().getScheme()).isEqualTo("http");
            assertThat(sim.endpoint().getHost()).isEqualTo("127.0.0.1");
            assertThat(sim.port()).isPositive();
            assertThat(new RawHttp(sim).get("/_sim/health").body()).isEqualTo("{\"status\":\"UP\"}");
        }
    }

    @Test
    void startsOnTheConfiguredPort() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }

        try (AwsSimulator sim = AwsSimulator.start(SimulatorConfig.defaults().withPort(port))) {
            assertThat(sim.endpoint()).hasToString("http://127.0.0.1:" + port);
        }
    }

    @Test
    void listensOnlyOnTheLoopbackAddress() throws IOException {
        Optional<InetAddress> external = nonLoopbackAddress();
        assumeThat(external).as("a non-loopback IPv4 address on this machine").isPresent();

        try (AwsSimulator sim = AwsSimulator.start()) {
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(external.get(), sim.port()), 2_000);
                }
            }).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void closeFreesThePortAndMayBeCalledTwice() throws IOException {
        AwsSimulator sim = AwsSimulator.start();
        int port = sim.port();

        sim.close();
        sim.close();

        try (ServerSocket rebind = new ServerSocket()) {
            rebind.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            assertThat(rebind.isBound()).isTrue();
        }
    }

    @Test
    void eachSimulatorKeepsItsOwnState() {
        try (AwsSimulator first = AwsSimulator.start(); AwsSimulator second = AwsSimulator.start()) {
            first.s3().putObject("bucket", "key", "only in the first");

            assertThat(second.s3().bucketNames()).isEmpty();
            assertThat(first.port()).isNotEqualTo(second.port());
        }
    }

    @Test
    void routesRequestsToTheServiceNamedInTheCredentialScope() {
        try (AwsSimulator sim = AwsSimulator.start()) {
            RawHttp http = new RawHttp(sim);

            var sts = http.query("sts", "Action=GetCallerIdentity&Version=2011-06-15");
            var s3 = http.send("GET", "/", Map.of("Authorization", RawHttp.authorization("s3")), new byte[0]);

            assertThat(sts.body()).contains("<GetCallerIdentityResponse");
            assertThat(s3.body()).contains("<ListAllMyBucketsResult");
            assertThat(sim.stats().calls("sts", "GetCallerIdentity")).isEqualTo(1);
            assertThat(sim.stats().calls("s3", "ListBuckets")).isEqualTo(1);
        }
    }

    @Test
    void routesUnsignedQueryRequestsByTheirAction() {
        try (AwsSimulator sim = AwsSimulator.start()) {
            var response = new RawHttp(sim).query(null, "Action=GetCallerIdentity&Version=2011-06-15");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("<Account>000000000000</Account>");
        }
    }

    @Test
    void routesUnsignedRestRequestsToS3() {
        try (AwsSimulator sim = AwsSimulator.start()) {
            sim.s3().putObject("public", "readme.txt", "anonymous read");

            var response = new RawHttp(sim).get("/public/readme.txt");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("anonymous read");
        }
    }

    @Test
    void aServiceTheSimulatorDoesNotImplementAnswersNotImplemented() {
        try (AwsSimulator sim = AwsSimulator.start()) {
            RawHttp http = new RawHttp(sim);

            var signed = http.query("kinesis", "Action=ListStreams");
            var targeted = http.send("POST", "/", Map.of("X-Amz-Target", "Kinesis_20131202.ListStreams",
                    "Content-Type", "application/x-amz-json-1.1"), "{}".getBytes());

            assertThat(signed.statusCode()).isEqualTo(501);
            assertThat(signed.body()).contains("<Code>NotImplemented</Code>", "service 'kinesis'");
            assertThat(targeted.statusCode()).isEqualTo(501);
            assertThat(targeted.body()).contains("\"__type\":\"NotImplemented\"");
            assertThat(sim.stats().totalCalls()).isZero();
        }
    }

    @Test
    void countsCallsPerServiceAndActionUntilReset() {
        try (AwsSimulator sim = AwsSimulator.start();
                S3Client s3 = SimClients.s3(sim);
                StsClient sts = SimClients.sts(sim)) {
            s3.createBucket(b -> b.bucket("counted"));
            s3.putObject(b -> b.bucket("counted").key("a"), RequestBody.fromString("1"));
            s3.putObject(b -> b.bucket("counted").key("b"), RequestBody.fromString("2"));
            sts.getCallerIdentity();

            SimStats stats = sim.stats();
            assertThat(stats.calls("s3", "PutObject")).isEqualTo(2);
            assertThat(stats.calls("s3", "CreateBucket")).isEqualTo(1);
            assertThat(stats.calls("sts", "GetCallerIdentity")).isEqualTo(1);
            assertThat(stats.calls("s3", "GetObject")).isZero();
            assertThat(stats.totalCalls()).isEqualTo(4);
            assertThat(stats.totalCalls("s3")).isEqualTo(3);

            sim.resetStats();

            assertThat(sim.stats().totalCalls()).isZero();
            assertThat(sim.stats().calls()).isEmpty();
        }
    }

    @Test
    void countsStayExactUnderConcurrentCalls() throws Exception {
        try (AwsSimulator sim = AwsSimulator.start(); StsClient sts = SimClients.sts(sim)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    calls.add(pool.submit(() -> sts.getCallerIdentity()));
                }
                for (Future<?> call : calls) {
                    call.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(sim.stats().calls("sts", "GetCallerIdentity")).isEqualTo(100);
        }
    }

    @Test
    void statsControlEndpointAnswersJsonCountsAndResets() {
        try (AwsSimulator sim = AwsSimulator.start(); StsClient sts = SimClients.sts(sim)) {
            sts.getCallerIdentity();
            sts.getCallerIdentity();
            RawHttp http = new RawHttp(sim);

            var stats = http.get("/_sim/stats");
            var reset = http.post("/_sim/stats/reset");

            assertThat(stats.statusCode()).isEqualTo(200);
            assertThat(stats.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(stats.body()).isEqualTo(
                    "{\"total\":2,\"calls\":{\"sts:GetCallerIdentity\":2},\"throttled\":{},\"faults\":{}}");
            assertThat(reset.statusCode()).isEqualTo(204);
            assertThat(http.get("/_sim/stats").body()).startsWith("{\"total\":0,\"calls\":{}");
        }
    }

    @Test
    void clockControlEndpointShowsAndAdvancesSimulatedTime() {
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        try (AwsSimulator sim = AwsSimulator.start(SimulatorConfig.defaults().withClockStart(start))) {
            RawHttp http = new RawHttp(sim);

            var before = http.get("/_sim/clock");
            var advanced = http.post("/_sim/clock/advance?seconds=90");
            var byDuration = http.post("/_sim/clock/advance?duration=PT1H");

            assertThat(before.body()).contains("\"mode\":\"VIRTUAL\"", "\"now\":\"2025-01-01T00:00:00.000Z\"");
            assertThat(advanced.body()).contains("\"now\":\"2025-01-01T00:01:30.000Z\"");
            assertThat(byDuration.body()).contains("\"now\":\"2025-01-01T01:01:30.000Z\"");
            assertThat(sim.clock().instant()).isEqualTo(start.plus(Duration.ofSeconds(3690)));
        }
    }

    @Test
    void controlEndpointsRejectUnknownPathsMethodsAndBadArguments() {
        try (AwsSimulator sim = AwsSimulator.start()) {
            RawHttp http = new RawHttp(sim);

            assertThat(http.get("/_sim/nothing").statusCode()).isEqualTo(404);
            assertThat(http.post("/_sim/stats").statusCode()).isEqualTo(405);
            assertThat(http.post("/_sim/clock/advance").statusCode()).isEqualTo(400);
            assertThat(http.post("/_sim/clock/advance?seconds=-5").statusCode()).isEqualTo(400);
            assertThat(http.post("/_sim/clock/advance?duration=soon").statusCode()).isEqualTo(400);
        }
    }

    @Test
    void configRejectsInvalidValues() {
        SimulatorConfig defaults = SimulatorConfig.defaults();

        assertThatThrownBy(() -> defaults.withPort(70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withAccountId("42")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withThreads(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(defaults.host()).isEqualTo("127.0.0.1");
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }
}
