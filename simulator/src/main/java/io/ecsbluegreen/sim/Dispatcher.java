package io.ecsbluegreen.sim;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.ecsbluegreen.sim.model.ModelCheck;
import io.ecsbluegreen.sim.protocol.AwsErrorException;
import io.ecsbluegreen.sim.protocol.Protocol;
import io.ecsbluegreen.sim.protocol.RpcV2Cbor;
import io.ecsbluegreen.sim.protocol.ServiceHandler;
import io.ecsbluegreen.sim.protocol.SimRequest;
import io.ecsbluegreen.sim.protocol.SimResponse;
import io.ecsbluegreen.sim.sts.StsStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The single HTTP handler of the server: reads a request, serves control endpoints, routes the rest to
 * a service, and applies the generic behaviour every service shares — statistics, throttling, fault
 * injection and the check against the AWS service models — before the service sees the call.
 */
final class Dispatcher implements HttpHandler {

    private static final System.Logger LOG = System.getLogger(AwsSimulator.class.getName());
    /** Larger bodies are refused: the simulator keeps everything in memory. */
    static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

    private final ServiceRouter router;
    private final ControlApi control;
    private final StatsRecorder stats;
    private final Throttling throttling;
    private final Faults faults;
    private final ModelCheck modelCheck;
    private final StsStore sts;
    private final RequestLog requests;

    Dispatcher(ServiceRouter router, ControlApi control, StatsRecorder stats, Throttling throttling, Faults faults,
            ModelCheck modelCheck, StsStore sts, RequestLog requests) {
        this.router = router;
        this.control = control;
        this.stats = stats;
        this.throttling = throttling;
        this.faults = faults;
        this.modelCheck = modelCheck;
        this.sts = sts;
        this.requests = requests;
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            SimRequest request = read(exchange);
            if (request == null) {
                return;
            }
            if (ControlApi.handles(request)) {
                write(exchange, request, control.handle(request), Optional.empty());
                return;
            }
            Optional<ServiceHandler> handler = router.route(request);
            if (handler.isEmpty()) {
                Protocol guess = RpcV2Cbor.speaks(request) ? Protocol.RPC_V2_CBOR
                        : request.header("X-Amz-Target") != null ? Protocol.JSON_1_1 : Protocol.QUERY;
                AwsErrorException error = new AwsErrorException(501, "NotImplemented",
                        "The simulator does not implement " + ServiceRouter.describe(request) + ".");
                write(exchange, request, guess.renderError(error, request.requestId(), null), Optional.of(guess));
                return;
            }
            ServiceHandler service = handler.get();
            write(exchange, request, serve(service, request), Optional.of(service.protocol()));
        } catch (IOException e) {
            // The client went away mid-exchange; nothing to answer.
            LOG.log(Level.DEBUG, "I/O error while serving a request: {0}", e.toString());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "unexpected failure while serving a request", e);
        } finally {
            exchange.close();
        }
    }

    private SimResponse serve(ServiceHandler service, SimRequest request) {
        String action;
        try {
            action = service.resolveAction(request);
        } catch (AwsErrorException e) {
            return service.renderError(e, request);
        }
        ApiAction api = new ApiAction(service.signingName(), action);
        stats.call(api);
        requests.record(api, request.accessKeyId(), request.body(), request.header("User-Agent"));
        if (sts.expired(request.accessKeyId())) {
            // AWS's common error for every service: temporary credentials are refused once they expire.
            return service.renderError(new AwsErrorException(403, "ExpiredTokenException",
                    "The security token included in the request is expired"), request);
        }
        if (!throttling.tryAcquire(api)) {
            stats.throttled(api);
            return service.renderError(service.throttlingError(), request);
        }
        Faults.Decision fault = faults.decide(api);
        sleep(fault.latency());
        if (fault.error() != null) {
            stats.fault(api);
            FaultRule rule = fault.error();
            AwsErrorException error = rule.status() >= 500
                    ? service.serverError(rule.status())
                    : new AwsErrorException(rule.status(), "AccessDenied", "Access Denied (injected fault)");
            if (rule.errorCode() != null) {
                error = new AwsErrorException(rule.status(), rule.errorCode(), error.errorMessage());
            }
            return service.renderError(error, request);
        }
        try {
            // As AWS does, a request its service model rejects never reaches the operation.
            Optional<AwsErrorException> invalid = modelCheck.check(service.signingName(), action, request);
            if (invalid.isPresent()) {
                return service.renderError(invalid.get(), request);
            }
            return service.handle(action, request);
        } catch (AwsErrorException e) {
            return service.renderError(e, request);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "simulated " + api + " failed", e);
            return service.renderError(service.serverError(500), request);
        }
    }

    private static SimRequest read(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            byte[] message = ("request body larger than " + MAX_BODY_BYTES + " bytes").getBytes();
            exchange.sendResponseHeaders(413, message.length);
            exchange.getResponseBody().write(message);
            return null;
        }
        return new SimRequest(requestId, exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body);
    }

    private static void write(HttpExchange exchange, SimRequest request, SimResponse response,
            Optional<Protocol> protocol) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        protocol.ifPresent(p -> p.requestIdHeaders(request.requestId()).forEach(headers::set));
        response.headers().forEach(headers::set);
        int status = response.status();
        byte[] body = response.body();
        boolean head = request.method().equals("HEAD");
        if (head || status == 204 || status == 304 || body.length == 0) {
            // -1 tells HttpServer there is no body; for HEAD it leaves a handler's Content-Length alone.
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void sleep(Duration latency) {
        if (latency.isZero()) {
            return;
        }
        try {
            Thread.sleep(latency.toMillis(), latency.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            // Shutting down: answer at once.
            Thread.currentThread().interrupt();
        }
    }
}
