package io.ecsbluegreen.sim.elb;

import io.ecsbluegreen.sim.SimulatorConfig;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Health checks that really ask the processes of tasks whose image maps to a local command: once a
 * second, each such target's health check path on its loopback port, with the target group's timeout
 * and matcher. What a check sees is recorded as the target's probe from that moment on; the target
 * group's interval and thresholds then count it as for any target (see {@link RegisteredTarget}). The
 * thread starts with the first such target and stops on close.
 */
final class ProcessHealthChecks implements AutoCloseable {

    /** How often each process is asked: finer than any health check interval (at least 5 s). */
    static final Duration PERIOD = Duration.ofSeconds(1);

    /** One real target to ask: its key in its target group and where its process listens. */
    record Probe(String targetGroupArn, String id, int port, String taskArn, int localPort, String path, int timeoutSeconds,
                 String matcher) {}

    private final ElbStore store;
    private ScheduledExecutorService scheduler;
    private HttpClient client;
    private boolean closed;

    ProcessHealthChecks(ElbStore store) {
        this.store = store;
    }

    /** Starts checking, once; called when a real target registers. */
    synchronized void ensureRunning() {
        if (scheduler != null || closed) return;
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "elb-sim-health-checks");
            thread.setDaemon(true);
            return thread;
        });
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1))
                .followRedirects(HttpClient.Redirect.NEVER).proxy(ProxySelector.of(null)).build();
        scheduler.scheduleWithFixedDelay(this::checkAll, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkAll() {
        try {
            for (Probe probe : store.processTargets()) {
                store.recordProbe(probe, check(probe));
            }
        } catch (RuntimeException e) {
            System.getLogger(ProcessHealthChecks.class.getName()).log(System.Logger.Level.WARNING, "health checks failed", e);
        }
    }

    /** One health check of a process, as an ALB's: the path over HTTP, the status against the matcher. */
    RegisteredTarget.Probe check(Probe probe) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + SimulatorConfig.HOST + ":" + probe.localPort()
                        + (probe.path().startsWith("/") ? probe.path() : "/" + probe.path())))
                .timeout(Duration.ofSeconds(Math.max(1, probe.timeoutSeconds())))
                .header("User-Agent", "ELB-HealthChecker/2.0")
                .GET().build();
        try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return matches(probe.matcher(), status) ? RegisteredTarget.Probe.PASS : RegisteredTarget.Probe.BAD_STATUS;
        } catch (IOException e) {
            return RegisteredTarget.Probe.REFUSED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RegisteredTarget.Probe.REFUSED;
        }
    }

    /** Whether a status is one of the matcher's codes: {@code 200}, {@code 200,202}, {@code 200-299}. */
    static boolean matches(String matcher, int status) {
        for (String part : List.of((matcher == null ? "200" : matcher).split(","))) {
            String[] range = part.trim().split("-");
            try {
                int low = Integer.parseInt(range[0].trim());
                int high = range.length > 1 ? Integer.parseInt(range[1].trim()) : low;
                if (status >= low && status <= high) return true;
            } catch (NumberFormatException e) {
                // validated on the way in; an odd value matches nothing
            }
        }
        return false;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
