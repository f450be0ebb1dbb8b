package io.ecsbluegreen.sim.elb;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.ecsbluegreen.sim.SimulatorConfig;
import io.ecsbluegreen.sim.protocol.Encoding;
import io.ecsbluegreen.sim.protocol.Json;
import io.ecsbluegreen.sim.protocol.Xml;
import io.ecsbluegreen.sim.spi.ImageBehaviour;
import io.ecsbluegreen.sim.spi.SimTask;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listeners' data plane: each listener is a JDK {@link HttpServer} on {@code 127.0.0.1} (an
 * {@link HttpsServer} with the {@link TlsCertificates} certificate for an HTTPS listener) whose
 * requests the store routes (rule, weighted target group, target). A simulated ECS task (or any target
 * that is not on loopback) is answered in-process with a page naming it; a target on {@code 127.0.0.1}
 * is a real server and gets the request over HTTP (keep-alive client, 1 s to connect, 10 s to answer), and
 * so does a task whose image maps to a local command, at its process's loopback port.
 * Every request routed to a target group is recorded in the store's traffic metrics.
 */
final class DataPlane implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DataPlane.class.getName());
    private static final int BACKLOG = 128;
    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade",
            "content-length", "host", "expect", "http2-settings");

    private final ElbStore store;
    private final Map<String, HttpServer> servers = new ConcurrentHashMap<>();
    private final ExecutorService executor;
    private final Random errors;
    private volatile HttpClient client;
    private volatile boolean closed;

    DataPlane(ElbStore store, long seed) {
        this.store = store;
        this.errors = new Random(seed ^ 0x5DEECE66DL);
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "elb-sim-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts serving a listener on {@code 127.0.0.1:port} (0: an ephemeral port) and returns the bound port.
     *
     * @throws io.ecsbluegreen.sim.protocol.AwsErrorException {@code InvalidConfigurationRequest} when the
     *     port cannot be bound
     */
    int open(String listenerArn, int port, boolean https) {
        HttpServer server = bind(listenerArn, port, https);
        HttpServer previous = servers.put(listenerArn, server);
        if (previous != null) {
            previous.stop(0);
        }
        return server.getAddress().getPort();
    }

    /** Moves a listener to another port or protocol: binds the new one first, then frees the old one. */
    int rebind(String listenerArn, int port, boolean https) {
        return open(listenerArn, port, https);
    }

    /** Stops serving a listener and frees its port; open connections are closed. */
    void close(String listenerArn) {
        HttpServer server = servers.remove(listenerArn);
        if (server != null) {
            server.stop(0);
        }
    }

    /** Closes every listener socket. */
    @Override
    public void close() {
        closed = true;
        for (String arn : List.copyOf(servers.keySet())) {
            close(arn);
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpServer bind(String listenerArn, int port, boolean https) {
        if (closed) {
            throw new IllegalStateException("the simulator is closed");
        }
        try {
            InetAddress loopback = InetAddress.getByName(SimulatorConfig.HOST);
            HttpServer server;
            if (https) {
                HttpsServer tls = HttpsServer.create(new InetSocketAddress(loopback, port), BACKLOG);
                tls.setHttpsConfigurator(new HttpsConfigurator(store.tls().serverContext()));
                server = tls;
            } else {
                server = HttpServer.create(new InetSocketAddress(loopback, port), BACKLOG);
            }
            server.setExecutor(executor);
            server.createContext("/", exchange -> handle(listenerArn, exchange));
            server.start();
            return server;
        } catch (IOException e) {
            throw ElbErrors.invalidConfiguration("The simulator cannot listen on " + SimulatorConfig.HOST + ":" + port
                    + " for this listener: " + e.getMessage());
        }
    }

    private void handle(String listenerArn, HttpExchange exchange) {
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                sendElbError(exchange, 413, List.of(), null);
                return;
            }
            HttpRequestInfo request = requestInfo(exchange);
            Route route = store.route(listenerArn, request);
            switch (route.kind()) {
                case FIXED -> send(exchange, route.status(),
                        route.contentType() != null ? route.contentType() : "text/plain; charset=utf-8",
                        route.body() == null ? new byte[0] : route.body().getBytes(StandardCharsets.UTF_8));
                case REDIRECT -> {
                    exchange.getResponseHeaders().set("Location", route.location());
                    send(exchange, route.status(), null, new byte[0]);
                }
                case ELB_ERROR -> {
                    if (route.targetGroupArn() != null) {
                        record(route, TrafficMetrics.Outcome.ELB_5XX, Duration.ZERO);
                    }
                    sendElbError(exchange, route.status(), route.setCookies(), route.targetGroupName());
                }
                case FORWARD -> forward(listenerArn, exchange, request, body, route);
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "data-plane client went away: {0}", e.toString());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "data-plane failure on " + listenerArn, e);
            try {
                sendElbError(exchange, 500, List.of(), null);
            } catch (IOException | RuntimeException ignored) {
                // the response may already be under way
            }
        } finally {
            exchange.close();
        }
    }

    private void forward(String listenerArn, HttpExchange exchange, HttpRequestInfo request, byte[] body, Route route)
            throws IOException {
        Headers headers = exchange.getResponseHeaders();
        route.setCookies().forEach(cookie -> headers.add("Set-Cookie", cookie));
        headers.set("X-Sim-Target-Group", route.targetGroupName());
        headers.set("X-Sim-Target", route.targetId() + ":" + route.targetPort());
        if (route.task() != null && route.task().real()) {
            exchange.getResponseHeaders().set("X-Sim-Task-Set", route.task().taskSetId());
            proxy(listenerArn, exchange, request, body, route, SimulatorConfig.HOST, route.task().localPort());
        } else if (route.task() == null && isLoopback(route.targetId())) {
            proxy(listenerArn, exchange, request, body, route, route.targetId(), route.targetPort());
        } else {
            answerInProcess(exchange, request, route);
        }
    }

    /** A simulated target (an ECS task, or an address the simulator cannot reach) answers itself. */
    private void answerInProcess(HttpExchange exchange, HttpRequestInfo request, Route route) throws IOException {
        if (!route.appUp()) {
            record(route, TrafficMetrics.Outcome.ELB_5XX, Duration.ZERO);
            sendElbError(exchange, 502, List.of(), route.targetGroupName());
            return;
        }
        long started = System.nanoTime();
        SimTask task = route.task();
        int status = 200;
        byte[] body;
        String contentType;
        if (task != null) {
            ImageBehaviour behaviour = task.behaviour();
            exchange.getResponseHeaders().set("X-Sim-Task-Set", task.taskSetId());
            sleep(behaviour.latency());
            boolean healthPath = request.path().equals(route.healthCheckPath());
            if (healthPath && RegisteredTarget.appProbe(task, store.clock().instant()) == RegisteredTarget.Probe.BAD_STATUS) {
                status = 503;
            } else if (behaviour.errorRate() > 0 && errors.nextDouble() < behaviour.errorRate()) {
                status = 500;
            }
        }
        if (status != 200) {
            contentType = "text/plain; charset=utf-8";
            body = (status + (status == 500 ? " simulated error" : " unhealthy") + " from "
                    + (task != null ? task.taskArn() : route.targetId()) + "\n").getBytes(StandardCharsets.UTF_8);
        } else if (wantsJson(request)) {
            contentType = "application/json";
            body = pageJson(request, route).getBytes(StandardCharsets.UTF_8);
        } else {
            contentType = "text/html; charset=utf-8";
            body = pageHtml(request, route).getBytes(StandardCharsets.UTF_8);
        }
        record(route, TrafficMetrics.Outcome.ofTargetStatus(status), Duration.ofNanos(System.nanoTime() - started));
        send(exchange, status, contentType, request.method().equals("HEAD") ? new byte[0] : body);
    }

    /**
     * A real server on loopback (a registered loopback address, or a task's process) gets the request over
     * HTTP, with ALB's X-Forwarded-* headers.
     */
    private void proxy(String listenerArn, HttpExchange exchange, HttpRequestInfo request, byte[] body, Route route,
                       String host, int port) throws IOException {
        String pathAndQuery = request.path() + (request.rawQuery() != null ? "?" + request.rawQuery() : "");
        HttpRequest.Builder outgoing;
        try {
            outgoing = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + pathAndQuery))
                    .timeout(RESPONSE_TIMEOUT)
                    .method(request.method(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
        } catch (IllegalArgumentException e) {
            sendElbError(exchange, 400, List.of(), route.targetGroupName());
            return;
        }
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !lower.startsWith("x-forwarded-")) {
                for (String value : values) {
                    try {
                        outgoing.header(name, value);
                    } catch (IllegalArgumentException restricted) {
                        // a header the JDK client refuses to set; dropped
                    }
                }
            }
        });
        String clientIp = request.sourceIp();
        String forwardedFor = request.header("x-forwarded-for");
        outgoing.header("X-Forwarded-For", forwardedFor == null ? clientIp : forwardedFor + ", " + clientIp);
        outgoing.header("X-Forwarded-Proto", listenerProtocol(listenerArn));
        outgoing.header("X-Forwarded-Port", Integer.toString(exchange.getLocalAddress().getPort()));
        if (request.header("host") != null) {
            outgoing.header("X-Forwarded-Host", request.header("host"));
        }
        if (request.header("x-amzn-trace-id") == null) {
            outgoing.header("X-Amzn-Trace-Id", traceId());
        }
        long started = System.nanoTime();
        HttpResponse<byte[]> response;
        try {
            response = client().send(outgoing.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            record(route, TrafficMetrics.Outcome.ELB_5XX, Duration.ZERO);
            sendElbError(exchange, 504, List.of(), route.targetGroupName());
            return;
        } catch (IOException e) {
            record(route, TrafficMetrics.Outcome.ELB_5XX, Duration.ZERO);
            sendElbError(exchange, 502, List.of(), route.targetGroupName());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sendElbError(exchange, 503, List.of(), route.targetGroupName());
            return;
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - started);
        record(route, TrafficMetrics.Outcome.ofTargetStatus(response.statusCode()), latency);
        Headers headers = exchange.getResponseHeaders();
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !lower.startsWith(":")) {
                values.forEach(value -> headers.add(name, value));
            }
        });
        send(exchange, response.statusCode(), null, request.method().equals("HEAD") ? new byte[0] : response.body());
    }

    private String listenerProtocol(String listenerArn) {
        return store.listener(listenerArn).map(l -> l.protocol().toLowerCase(Locale.ROOT)).orElse("http");
    }

    private void record(Route route, TrafficMetrics.Outcome outcome, Duration latency) {
        store.trafficMetrics().record(Arns.targetGroupDimension(route.targetGroupArn()), store.clock().instant(),
                outcome, latency);
    }

    private HttpClient client() {
        HttpClient current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    client = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(CONNECT_TIMEOUT)
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .proxy(ProxySelector.of(null))
                            .executor(executor)
                            .build();
                }
                current = client;
            }
        }
        return current;
    }

    private static HttpRequestInfo requestInfo(HttpExchange exchange) {
        URI uri = exchange.getRequestURI();
        String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        List<Condition.QueryPair> pairs = new ArrayList<>();
        Encoding.parseForm(uri.getRawQuery()).forEach((key, values) ->
                values.forEach(value -> pairs.add(new Condition.QueryPair(key, value))));
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
        return new HttpRequestInfo(exchange.getRequestMethod().toUpperCase(Locale.ROOT), rawPath, uri.getRawQuery(),
                pairs, headers, exchange.getRemoteAddress().getAddress().getHostAddress());
    }

    private static boolean isLoopback(String id) {
        return id.startsWith("127.") && Condition.inCidr(id, "127.0.0.0/8");
    }

    private static boolean wantsJson(HttpRequestInfo request) {
        String accept = request.header("accept");
        return accept != null && accept.contains("application/json") && !accept.contains("text/html");
    }

    private static String pageJson(HttpRequestInfo request, Route route) {
        Json json = Json.object()
                .field("targetGroup", route.targetGroupName())
                .field("target", route.targetId() + ":" + route.targetPort())
                .field("method", request.method())
                .field("path", request.path());
        SimTask task = route.task();
        if (task != null) {
            Json environment = Json.object();
            new TreeMap<>(task.environment()).forEach(environment::field);
            json.field("taskSetId", task.taskSetId())
                    .field("taskArn", task.taskArn())
                    .field("image", task.image())
                    .raw("environment", environment.build());
        }
        return json.build();
    }

    private static String pageHtml(HttpRequestInfo request, Route route) {
        SimTask task = route.task();
        StringBuilder html = new StringBuilder(512).append("<!DOCTYPE html>\n<html><head><title>")
                .append(Xml.escape(task != null ? task.image() : route.targetId()))
                .append("</title></head>\n<body>\n<h1>")
                .append(Xml.escape(task != null ? task.image() : "simulated target " + route.targetId()))
                .append("</h1>\n<dl>\n");
        item(html, "Target group", route.targetGroupName());
        item(html, "Target", route.targetId() + ":" + route.targetPort());
        if (task != null) {
            item(html, "Task set", task.taskSetId());
            item(html, "Task", task.taskArn());
            item(html, "Image", task.image());
        }
        item(html, "Request", request.method() + " " + request.path());
        html.append("</dl>\n");
        if (task != null) {
            html.append("<h2>Environment</h2>\n<dl>\n");
            new TreeMap<>(task.environment()).forEach((name, value) -> item(html, name, value));
            html.append("</dl>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    private static void item(StringBuilder html, String term, String definition) {
        html.append("<dt>").append(Xml.escape(term)).append("</dt><dd>").append(Xml.escape(definition))
                .append("</dd>\n");
    }

    /** The load balancer's own error page, as ALB sends it ({@code Server: awselb/2.0}). */
    private static void sendElbError(HttpExchange exchange, int status, List<String> cookies, String targetGroupName)
            throws IOException {
        String reason = switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Authorization Required";
            case 413 -> "Request Entity Too Large";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Temporarily Unavailable";
            case 504 -> "Gateway Time-out";
            default -> "Error";
        };
        String page = "<html>\r\n<head><title>" + status + " " + reason + "</title></head>\r\n<body>\r\n<center><h1>"
                + status + " " + reason + "</h1></center>\r\n</body>\r\n</html>\r\n";
        Headers headers = exchange.getResponseHeaders();
        headers.set("Server", "awselb/2.0");
        cookies.forEach(cookie -> headers.add("Set-Cookie", cookie));
        if (targetGroupName != null) {
            headers.set("X-Sim-Target-Group", targetGroupName);
        }
        send(exchange, status, "text/html", page.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        boolean noBody = exchange.getRequestMethod().equalsIgnoreCase("HEAD") || status == 204 || status == 304
                || body.length == 0;
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void sleep(Duration latency) {
        if (latency.isZero()) {
            return;
        }
        try {
            Thread.sleep(latency.toMillis(), latency.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String traceId() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "Root=1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-" + HexFormat.of().formatHex(bytes);
    }
}
