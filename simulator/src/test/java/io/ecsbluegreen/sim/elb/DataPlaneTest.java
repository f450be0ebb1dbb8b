package io.ecsbluegreen.sim.elb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.ecsbluegreen.sim.spi.ImageBehaviour;
import io.ecsbluegreen.sim.spi.LoadBalancerMetrics;
import io.ecsbluegreen.sim.spi.SimTask;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;

/** Real HTTP through simulated listeners: rules, weighted target groups, targets, metrics, sockets. */
class DataPlaneTest extends ElbFixture {

    private final HttpClient http = ElbClients.http();
    private LoadBalancer lb;
    private String blue;
    private String green;
    private HttpServer backend;

    @BeforeEach
    void resources() {
        lb = createLoadBalancer("demo");
        blue = createTargetGroup("blue").targetGroupArn();
        green = createTargetGroup("green").targetGroupArn();
    }

    @AfterEach
    void stopBackend() {
        if (backend != null) {
            backend.stop(0);
        }
    }

    private SimTask task(String ip, String taskSet, ImageBehaviour behaviour) {
        return new SimTask("arn:aws:ecs:us-east-1:000000000000:task/demo/" + ip.replace(".", ""), taskSet, ip,
                "ghcr.io/ecsbluegreen/greeter:1.0.0", Map.of("GREETING", "Hello World", "PAGE_COLOR", "green"),
                sim.clock().instant(), behaviour);
    }

    /** A listener forwarding to blue and green with these weights. */
    private Listener weightedListener(int blueWeight, int greenWeight) {
        return elb.createListener(b -> b.loadBalancerArn(lb.loadBalancerArn()).protocol("HTTP").port(80)
                .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).forwardConfig(f -> f.targetGroups(
                        t -> t.targetGroupArn(blue).weight(blueWeight), t -> t.targetGroupArn(green).weight(greenWeight)))))
                .listeners().get(0);
    }

    private void setWeights(Listener listener, int blueWeight, int greenWeight) {
        elb.modifyListener(b -> b.listenerArn(listener.listenerArn())
                .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).forwardConfig(f -> f.targetGroups(
                        t -> t.targetGroupArn(blue).weight(blueWeight), t -> t.targetGroupArn(green).weight(greenWeight)))));
    }

    /** The listener's endpoint built from the API alone: {@code http://DNSName:Port}. */
    private String url(Listener listener, String path) {
        return "http://" + lb.dnsName() + ":" + listener.port() + path;
    }

    private HttpResponse<String> get(Listener listener, String path) {
        return ElbClients.get(http, url(listener, path));
    }

    private HttpResponse<String> get(Listener listener, String path, String... headers) {
        return ElbClients.send(http, HttpRequest.newBuilder(URI.create(url(listener, path))).headers(headers).GET().build());
    }

    private void registerHealthyTasks() {
        sim.elb().register(blue, task("10.0.1.10", "ecs-svc/blue", ImageBehaviour.healthy()), 8080);
        sim.elb().register(green, task("10.0.2.10", "ecs-svc/green", ImageBehaviour.healthy()), 8080);
        sim.clock().advance(Duration.ofSeconds(150));
    }

    private String targetGroupOf(HttpResponse<String> response) {
        return response.headers().firstValue("X-Sim-Target-Group").orElse("none");
    }

    @Test
    void aSimulatedTaskAnswersWithAPageNamingItsTaskSetTaskImageAndEnvironment() {
        Listener listener = createListener(lb.loadBalancerArn(), 80, blue);
        SimTask task = task("10.0.1.10", "ecs-svc/1111111111", ImageBehaviour.healthy());
        sim.elb().register(blue, task, 8080);

        HttpResponse<String> html = get(listener, "/hello");
        HttpResponse<String> json = get(listener, "/hello", "Accept", "application/json");

        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("X-Sim-Target-Group")).hasValue("blue");
        assertThat(html.headers().firstValue("X-Sim-Task-Set")).hasValue("ecs-svc/1111111111");
        assertThat(html.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(html.body()).contains("ecs-svc/1111111111", task.taskArn(), "ghcr.io/ecsbluegreen/greeter:1.0.0",
                "<dt>GREETING</dt><dd>Hello World</dd>", "<dt>PAGE_COLOR</dt><dd>green</dd>");
        assertThat(json.body()).contains("\"taskSetId\":\"ecs-svc/1111111111\"", "\"taskArn\":\"" + task.taskArn() + "\"",
                "\"image\":\"ghcr.io/ecsbluegreen/greeter:1.0.0\"",
                "\"environment\":{\"GREETING\":\"Hello World\",\"PAGE_COLOR\":\"green\"}", "\"targetGroup\":\"blue\"");
    }

    @Test
    void weightedForwardSplitsRequestsBetweenTargetGroupsByWeight() {
        Listener listener = weightedListener(80, 20);
        registerHealthyTasks();
        Map<String, Integer> counts = new HashMap<>();

        for (int i = 0; i < 500; i++) {
            counts.merge(targetGroupOf(get(listener, "/")), 1, Integer::sum);
        }

        assertThat(counts.keySet()).containsExactlyInAnyOrder("blue", "green");
        // 500 draws at p = 0.2: mean 100, standard deviation about 9; 60..140 is more than 4 deviations.
        assertThat(counts.get("green")).isBetween(60, 140);
        assertThat(counts.get("blue") + counts.get("green")).isEqualTo(500);
    }

    @Test
    void aWeightChangeTakesEffectOnTheNextRequest() {
        Listener listener = weightedListener(100, 0);
        registerHealthyTasks();
        for (int i = 0; i < 20; i++) {
            assertThat(targetGroupOf(get(listener, "/"))).isEqualTo("blue");
        }

        setWeights(listener, 0, 100);

        for (int i = 0; i < 20; i++) {
            assertThat(targetGroupOf(get(listener, "/"))).isEqualTo("green");
        }
    }

    @Test
    void aTargetGroupWithoutTargetsAnswers503FromTheLoadBalancer() {
        Listener listener = createListener(lb.loadBalancerArn(), 80, blue);

        HttpResponse<String> response = get(listener, "/");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Server")).hasValue("awselb/2.0");
        assertThat(response.body()).contains("503 Service Temporarily Unavailable");
        assertThat(sim.elb().traffic(blue).requests()).isEqualTo(1);
        assertThat(sim.elb().traffic(blue).elb5xx()).isEqualTo(1);
    }

    @Test
    void allWeightsZeroAnswers503() {
        Listener listener = weightedListener(0, 0);
        registerHealthyTasks();

        assertThat(get(listener, "/").statusCode()).isEqualTo(503);
    }

    @Test
    void aRealServerOnLoopbackRegisteredByIpAndPortGetsTheRequestOverHttp() throws IOException {
        backend = echoServer();
        int port = backend.getAddress().getPort();
        Listener listener = createListener(lb.loadBalancerArn(), 80, blue);
        elb.registerTargets(b -> b.targetGroupArn(blue).targets(t -> t.id("127.0.0.1").port(port)));

        HttpResponse<String> response = ElbClients.send(http, HttpRequest.newBuilder(URI.create(url(listener, "/echo?x=1")))
                .header("X-Custom", "kept").POST(HttpRequest.BodyPublishers.ofString("payload")).build());
        HttpResponse<String> teapot = get(listener, "/teapot");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Sim-Target-Group")).hasValue("blue");
        assertThat(response.headers().firstValue("X-Backend")).hasValue("echo");
        assertThat(response.body()).contains("POST /echo?x=1", "body=payload", "x-custom=kept",
                "x-forwarded-for=127.0.0.1", "x-forwarded-proto=http", "x-forwarded-port=" + listener.port());
        assertThat(teapot.statusCode()).isEqualTo(418);
        assertThat(sim.elb().traffic(blue).target2xx()).isEqualTo(1);
        assertThat(sim.elb().traffic(blue).target4xx()).isEqualTo(1);
    }

    @Test
    void aLoopbackTargetWithNothingListeningAnswers502() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = probe.getLocalPort();
        }
        Listener listener = createListener(lb.loadBalancerArn(), 80, blue);
        elb.registerTargets(b -> b.targetGroupArn(blue).targets(t -> t.id("127.0.0.1").port(closedPort)));

        HttpResponse<String> response = get(listener, "/");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("502 Bad Gateway");
        assertThat(sim.elb().traffic(blue).elb5xx()).isEqualTo(1);
    }

    @Test
    void healthyTargetsGetTheTrafficAndWithoutAnyTheLoadBalancerFailsOpen() {
        Listener listener = createListener(lb.loadBalancerArn(), 80, blue);
        sim.elb().register(blue, task("10.0.1.10", "ecs-svc/ok", ImageBehaviour.healthy()), 8080);
        sim.elb().register(blue, task("10.0.1.11", "ecs-svc/bad", ImageBehaviour.neverHealthy()), 8080);

        // Both initial: no target is healthy, so both get requests.
        Map<String, Integer> initial = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            initial.merge(get(listener, "/").headers().firstValue("X-Sim-Target").orElseThrow(), 1, Integer::sum);
        }
        assertThat(initial).containsOnlyKeys("10.0.1.10:8080", "10.0.1.11:8080");

        sim.clock().advance(Duration.ofSeconds(150));
        for (int i = 0; i < 10; i++) {
            assertThat(get(listener, "/").headers().firstValue("X-Sim-Target")).hasValue("10.0.1.10:8080");
        }
    }

    @Test
    void drainingTargetsGetNoNewRequests() {
        Listener listener = createListener(lb.loadBalancerArn(), 80, blue);
        elb.registerTargets(b -> b.targetGroupArn(blue).targets(t -> t.id("10.0.1.10"), t -> t.id("10.0.1.11")));
        sim.clock().advance(Duration.ofSeconds(150));

        elb.deregisterTargets(b -> b.targetGroupArn(blue).targets(t -> t.id("10.0.1.11")));

        for (int i = 0; i < 6; i++) {
            assertThat(get(listener, "/").headers().firstValue("X-Sim-Target")).hasValue("10.0.1.10:8080");
        }
    }

    @Test
    void aTaskWhoseContainerExitedRefusesConnectionsAnd502Follows() {
        Listener listener = createListener(lb.loadBalancerArn(), 80, blue);
        sim.elb().register(blue, task("10.0.1.10", "ecs-svc/crash", ImageBehaviour.crashesAfter(Duration.ofSeconds(10))),
                8080);

        assertThat(get(listener, "/").statusCode()).isEqualTo(200);
        sim.clock().advance(Duration.ofSeconds(10));
        assertThat(get(listener, "/").statusCode()).isEqualTo(502);
    }

    @Test
    void rulesRouteByPathHostAndHeaderInPriorityOrderBeforeTheDefaultAction() {
        Listener listener = createListener(lb.loadBalancerArn(), 80, blue);
        registerHealthyTasks();
        elb.createRule(b -> b.listenerArn(listener.listenerArn()).priority(10)
                .conditions(c -> c.field("path-pattern").values("/green/*"))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(green)));
        elb.createRule(b -> b.listenerArn(listener.listenerArn()).priority(5)
                .conditions(c -> c.field("http-header").httpHeaderConfig(h -> h.httpHeaderName("X-Canary").values("y*")))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(green)));
        elb.createRule(b -> b.listenerArn(listener.listenerArn()).priority(1)
                .conditions(c -> c.field("host-header").values("maintenance.example.*"))
                .actions(a -> a.type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(
                        f -> f.statusCode("503").contentType("text/plain").messageBody("down for maintenance"))));
        elb.createRule(b -> b.listenerArn(listener.listenerArn()).priority(2)
                .conditions(c -> c.field("path-pattern").values("/old"))
                .actions(a -> a.type(ActionTypeEnum.REDIRECT).redirectConfig(r -> r.path("/new").statusCode("HTTP_301"))));

        assertThat(targetGroupOf(get(listener, "/"))).isEqualTo("blue");
        assertThat(targetGroupOf(get(listener, "/green/page"))).isEqualTo("green");
        assertThat(targetGroupOf(get(listener, "/", "X-Canary", "YES"))).isEqualTo("green");
        String fixed = rawGet(listener.port(), "/green/page", "maintenance.example.com");
        assertThat(fixed).startsWith("HTTP/1.1 503 ").endsWith("\r\n\r\ndown for maintenance");
        assertThat(rawGet(listener.port(), "/", "www.example.com")).contains("X-sim-target-group: blue");
        HttpResponse<String> redirect = get(listener, "/old?a=1");
        assertThat(redirect.statusCode()).isEqualTo(301);
        assertThat(redirect.headers().firstValue("Location"))
                .hasValue("http://127.0.0.1:" + listener.port() + "/new?a=1");
    }

    @Test
    void anErroringImageAnswers500sAndTheMetricsCountThemAsTarget5xx() {
        Listener listener = createListener(lb.loadBalancerArn(), 80, blue);
        sim.elb().register(blue, task("10.0.1.10", "ecs-svc/err", ImageBehaviour.erroring(1.0)), 8080);

        for (int i = 0; i < 5; i++) {
            assertThat(get(listener, "/").statusCode()).isEqualTo(500);
        }

        TargetGroupTraffic traffic = sim.elb().traffic(blue);
        assertThat(traffic.requests()).isEqualTo(5);
        assertThat(traffic.target5xx()).isEqualTo(5);
        assertThat(traffic.target2xx()).isZero();
    }

    @Test
    void imageLatencyDelaysAnswersAndShowsInTheResponseTimePercentiles() {
        Listener listener = createListener(lb.loadBalancerArn(), 80, blue);
        sim.elb().register(blue, task("10.0.1.10", "ecs-svc/slow",
                ImageBehaviour.healthy().withLatency(Duration.ofMillis(60))), 8080);

        long started = System.nanoTime();
        get(listener, "/");
        get(listener, "/");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(120));
        assertThat(sim.elb().traffic(blue).p99Seconds()).isGreaterThanOrEqualTo(0.06);
        assertThat(sim.elb().traffic(blue).averageSeconds()).isGreaterThanOrEqualTo(0.06);
    }

    @Test
    void trafficIsRecordedPerTargetGroupInBucketsOfSimulatedTime() {
        Listener listener = weightedListener(100, 0);
        sim.elb().register(blue, task("10.0.1.10", "ecs-svc/blue", ImageBehaviour.healthy()), 8080);
        sim.elb().register(green, task("10.0.2.10", "ecs-svc/green", ImageBehaviour.erroring(1.0)), 8080);
        Instant first = sim.clock().instant();
        for (int i = 0; i < 3; i++) {
            get(listener, "/");
        }
        sim.clock().advance(Duration.ofSeconds(60));
        setWeights(listener, 0, 100);
        for (int i = 0; i < 2; i++) {
            get(listener, "/");
        }

        LoadBalancerMetrics metrics = sim.elb();
        String blueDimension = sim.elb().targetGroup(blue).orElseThrow().dimension();
        String greenDimension = sim.elb().targetGroup(green).orElseThrow().dimension();
        assertThat(blueDimension).matches("targetgroup/blue/[0-9a-f]{16}");
        LoadBalancerMetrics.Window blueFirstMinute = metrics.window(blueDimension, first, first.plusSeconds(60));
        assertThat(blueFirstMinute.requests()).isEqualTo(3);
        assertThat(blueFirstMinute.target2xx()).isEqualTo(3);
        assertThat(blueFirstMinute.p99LatencySeconds()).isGreaterThanOrEqualTo(0);
        assertThat(metrics.window(greenDimension, first, first.plusSeconds(60)).requests()).isZero();
        LoadBalancerMetrics.Window greenSecondMinute =
                metrics.window(greenDimension, first.plusSeconds(60), first.plusSeconds(120));
        assertThat(greenSecondMinute.requests()).isEqualTo(2);
        assertThat(greenSecondMinute.target5xx()).isEqualTo(2);
        assertThat(metrics.window("targetgroup/none/0000000000000000", first, first.plusSeconds(60)))
                .isEqualTo(LoadBalancerMetrics.Window.EMPTY);
    }

    @Test
    void targetGroupStickinessKeepsAClientOnTheTargetGroupOfItsCookie() {
        Listener listener = elb.createListener(b -> b.loadBalancerArn(lb.loadBalancerArn()).protocol("HTTP").port(80)
                .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).forwardConfig(f -> f.targetGroups(
                                t -> t.targetGroupArn(blue).weight(50), t -> t.targetGroupArn(green).weight(50))
                        .targetGroupStickinessConfig(s -> s.enabled(true).durationSeconds(60))))).listeners().get(0);
        registerHealthyTasks();

        HttpResponse<String> first = get(listener, "/");
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("AWSALBTG=").contains("Max-Age=60");
        String value = cookie.substring(0, cookie.indexOf(';'));

        for (int i = 0; i < 20; i++) {
            assertThat(targetGroupOf(get(listener, "/", "Cookie", value))).isEqualTo(targetGroupOf(first));
        }
    }

    @Test
    void listenerPortsAreFreedWhenListenersOrLoadBalancersAreDeletedAndWhenTheSimulatorCloses() throws IOException {
        Listener deleted = createListener(lb.loadBalancerArn(), 80, blue);
        Listener ofDeletedLb = createListener(createLoadBalancer("other").loadBalancerArn(), 80, green);
        Listener closedWithSim = createListener(lb.loadBalancerArn(), 8080, blue);
        assertThat(get(deleted, "/").statusCode()).isEqualTo(503);

        elb.deleteListener(b -> b.listenerArn(deleted.listenerArn()));
        elb.deleteLoadBalancer(b -> b.loadBalancerArn(ofDeletedLb.loadBalancerArn()));

        assertRefused(deleted.port());
        assertRefused(ofDeletedLb.port());
        assertThat(get(closedWithSim, "/").statusCode()).isEqualTo(503);
        sim.close();
        assertRefused(closedWithSim.port());
        for (int port : List.of(deleted.port(), ofDeletedLb.port(), closedWithSim.port())) {
            try (ServerSocket rebound = new ServerSocket()) {
                rebound.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            }
        }
    }

    @Test
    void aListenerListensOnLoopbackOnly() throws IOException {
        Listener listener = createListener(lb.loadBalancerArn(), 80, blue);
        InetAddress nonLoopback = null;
        for (InetAddress address : InetAddress.getAllByName(InetAddress.getLocalHost().getHostName())) {
            if (!address.isLoopbackAddress() && address.getAddress().length == 4) {
                nonLoopback = address;
            }
        }
        if (nonLoopback == null) {
            return;
        }
        InetAddress target = nonLoopback;
        assertThatThrownBy(() -> new Socket(target, listener.port()).close()).isInstanceOf(ConnectException.class);
    }

    /** A GET with a chosen Host header over a plain socket (the JDK client refuses to set Host). */
    private static String rawGet(int port, String path, String host) {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertRefused(int port) {
        assertThatThrownBy(() -> new Socket(InetAddress.getByName("127.0.0.1"), port).close())
                .isInstanceOf(ConnectException.class);
    }

    /** A loopback HTTP server that echoes method, path, body and headers; {@code /teapot} answers 418. */
    static HttpServer echoServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                StringBuilder echo = new StringBuilder(exchange.getRequestMethod()).append(' ')
                        .append(exchange.getRequestURI()).append("\nbody=").append(new String(body, StandardCharsets.UTF_8));
                exchange.getRequestHeaders().forEach((name, values) ->
                        echo.append('\n').append(name.toLowerCase()).append('=').append(String.join(",", values)));
                byte[] answer = echo.toString().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("X-Backend", "echo");
                int status = exchange.getRequestURI().getPath().equals("/teapot") ? 418 : 200;
                exchange.sendResponseHeaders(status, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        server.start();
        return server;
    }
}
