package io.ecsbluegreen.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A real HTTP receiver on 127.0.0.1 that records every request and answers as the test says: by the
 * number of the request (1 for the first) a status, optionally after holding the request until released.
 */
final class LocalReceiver implements AutoCloseable {

    /** One request as received. */
    record Request(int number, String method, String path, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    /** An answer: a status, a body, headers, and whether to hang until {@link #release()}. */
    record Answer(int status, String body, Map<String, String> headers, boolean hang) {
        static Answer status(int status) {
            return new Answer(status, "", Map.of(), false);
        }

        static Answer hanging() {
            return new Answer(200, "", Map.of(), true);
        }
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-receiver");
        t.setDaemon(true);
        return t;
    });
    private volatile IntFunction<Answer> answers;
    private HttpServer server;
    private final int port;

    private LocalReceiver(int port, IntFunction<Answer> answers) {
        this.answers = answers;
        this.server = bind(port);
        this.port = server.getAddress().getPort();
    }

    /** Started on a free port, answering 200 to everything. */
    static LocalReceiver start() {
        return start(n -> Answer.status(200));
    }

    static LocalReceiver start(IntFunction<Answer> answers) {
        return new LocalReceiver(0, answers);
    }

    /** A port nothing listens on (yet): connections are refused until {@link #listenOn}. */
    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A receiver started on {@code port}, e.g. one found down before. */
    static LocalReceiver listenOn(int port, IntFunction<Answer> answers) {
        return new LocalReceiver(port, answers);
    }

    private HttpServer bind(int port) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
            s.setExecutor(executor);
            s.createContext("/", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
                    String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    int number;
                    synchronized (requests) {
                        number = requests.size() + 1;
                        requests.add(new Request(number, exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                                headers, body));
                    }
                    Answer answer = answers.apply(number);
                    if (answer.hang()) {
                        released.await(10, TimeUnit.SECONDS);
                    }
                    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
                    byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
                    if (out.length > 0) {
                        try (OutputStream o = exchange.getResponseBody()) {
                            o.write(out);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException e) {
                    // the client gave up (timeout); nothing to answer
                } finally {
                    exchange.close();
                }
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    int port() {
        return port;
    }

    void answers(IntFunction<Answer> next) {
        this.answers = next;
    }

    /** Lets hanging requests answer. */
    void release() {
        released.countDown();
    }

    List<Request> requests() {
        return new ArrayList<>(requests);
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
