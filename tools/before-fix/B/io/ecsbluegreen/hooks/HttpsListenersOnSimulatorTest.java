package io.ecsbluegreen.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.act.SdkEndpoints;
import io.ecsbluegreen.analysis.AnalysisTarget;
import io.ecsbluegreen.analysis.HttpProbeMeasurer;
import io.ecsbluegreen.analysis.Measurement;
import io.ecsbluegreen.analysis.Measurement.Verdict;
import io.ecsbluegreen.model.AnalysisCheck;
import io.ecsbluegreen.model.AnalysisSpec;
import io.ecsbluegreen.model.FailurePolicy;
import io.ecsbluegreen.model.HookSpec;
import io.ecsbluegreen.model.HttpHook;
import io.ecsbluegreen.model.HttpMethod;
import io.ecsbluegreen.model.HttpProbeCheck;
import io.ecsbluegreen.model.NoDataPolicy;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.SimulatorConfig;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * OLD-API version (for the code at e849a3c) of main's {@code HttpsListenersOnSimulatorTest} (defect 11):
 * the old http hook runner and HTTP probe through the strict simulator's real HTTPS listener, whose
 * certificate names the application ({@code *.example.test}), not the load balancer ({@code 127.0.0.1}).
 * Kept in tools/before-fix/B/ on main; not compiled by main's build; needs no relaxation.
 *
 * <p>What differs from main's test: the old code has no {@code bluegreen.tls.ca-bundle} ({@code TlsTrust}),
 * so the old code is handed an {@link HttpClient} whose SSL context trusts the simulator's CA (and nothing
 * else) directly: trust is granted, so any failure left is hostname verification. The old code has no
 * {@code serverName} in the spec ({@code ServerNames}) either, so main's cases that set one
 * ({@code theSpecsServerNameReachesAListenerAndAWildcardRuleAndWinsOverTheRulesHost},
 * {@code aCertificateForAnotherNameFailsVerificationWithAClearReasonNotAPass}) cannot be expressed and are
 * left out, as is {@code aCertificateFromACaNotTrustedFailsVerification} (it fails on the old code as on the
 * new one; its clear message is the fix's). Cases kept: the rule's host through the hook and the probe (the
 * defect), a listener without any host, and two controls that hold on both codes.
 */
class HttpsListenersOnSimulatorTest {

    private static final String CERT = "arn:aws:acm:us-east-1:000000000000:certificate/abc";

    private AwsSimulator sim;
    private ElasticLoadBalancingV2Client elb;
    private String lb;
    private String listener;
    /** Matches {@code shop.example.test}: its host is the hooks'. */
    private String shopRule;
    private SSLContext trust;
    private HttpClient trusting;
    private final LinkedBlockingQueue<HookRun> runs = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        sim = AwsSimulator.start(SimulatorConfig.defaults().withClockStart(Instant.parse("2025-06-01T12:00:00Z")));
        elb = ElasticLoadBalancingV2Client.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        lb = elb.createLoadBalancer(b -> b.name("web").subnets("subnet-aaaa1111", "subnet-bbbb2222")).loadBalancers().get(0)
                .loadBalancerArn();
        listener = https(fixed("listener")).listenerArn();
        shopRule = rule(1, "shop.example.test", "shop");
        rule(2, "*-api.example.test", "wildcard");
        // The old code's way to trust a private CA: an HttpClient built with an SSL context that trusts it.
        trust = sim.elb().tls().clientContext();
        trusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(trust).build();
    }

    @AfterEach
    void stop() {
        elb.close();
        sim.close();
    }

    private static Action fixed(String body) {
        return Action.builder().type(ActionTypeEnum.FIXED_RESPONSE)
                .fixedResponseConfig(f -> f.statusCode("200").contentType("text/plain").messageBody(body)).build();
    }

    private Listener https(Action action) {
        return elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTPS).port(443)
                .certificates(c -> c.certificateArn(CERT)).defaultActions(action)).listeners().get(0);
    }

    private String rule(int priority, String host, String body) {
        return elb.createRule(b -> b.listenerArn(listener).priority(priority)
                .conditions(c -> c.field("host-header").hostHeaderConfig(h -> h.values(host))).actions(fixed(body)))
                .rules().get(0).ruleArn();
    }

    /** Runs an old http hook calling {@code url} against {@code production}; its run, waited for 30 s at most. */
    private HookRun hook(HttpClient http, String url, String production) throws InterruptedException {
        HookSpec spec = new HookSpec("smoke", Duration.ofSeconds(20), FailurePolicy.ROLLBACK, null,
                new HttpHook(HttpMethod.GET, url, null, null, List.of(), null, 0, Duration.ofMillis(100)), null);
        try (HookRunner runner = new HookRunner((f, q, p) -> null, null, new SdkEndpoints(elb), http, Clock.systemUTC(),
                (service, run) -> runs.add(run), service -> { }, 1)) {
            runner.start(new HookCall("shop", "rev-1", "afterAllowTestTraffic", 0, spec, "demo", "shop", "ts", production, null, null));
            HookRun run = runs.poll(30, TimeUnit.SECONDS);
            assertThat(run).as("the hook ended within 30 s").isNotNull();
            System.out.println("[before-fix] defect 11 hook via " + production.substring(production.lastIndexOf(':') + 1) + ": "
                    + run.outcome() + " after " + run.attempts() + " attempt(s): " + run.detail());
            return run;
        }
    }

    private Measurement probe(HttpClient http, String production) {
        AnalysisCheck check = new AnalysisCheck("probe", null, 1, NoDataPolicy.FAIL, null, null,
                new HttpProbeCheck("{productionEndpoint}/cart", List.of(), 1.0, 3, Duration.ofSeconds(5)));
        AnalysisTarget target = new AnalysisTarget("shop", "rev-1", "us-east-1", "ts", "tg", production, null);
        Measurement m = new HttpProbeMeasurer(http, new SdkEndpoints(elb))
                .measure(check, new AnalysisSpec(Duration.ofMinutes(1), null, List.of(check)), target, Instant.now());
        System.out.println("[before-fix] defect 11 probe via " + production.substring(production.lastIndexOf(':') + 1) + ": "
                + m.verdict() + " value " + m.value() + ": " + m.detail());
        return m;
    }

    @Test
    void anHttpHookThroughAnHttpsRuleConnectsToTheLoadBalancerAndVerifiesTheRulesHost() throws Exception {
        HookRun run = hook(trusting, "{productionEndpoint}/cart", shopRule);

        assertThat(run.outcome()).as(run.detail()).isEqualTo("Succeeded");
        assertThat(run.detail()).isEqualTo("HTTP 200: shop");
    }

    @Test
    void anHttpProbeThroughAnHttpsRuleVerifiesTheRulesHostOnEveryRequest() {
        Measurement m = probe(trusting, shopRule);

        assertThat(m.verdict()).as(m.detail()).isEqualTo(Verdict.PASSED);
        assertThat(m.value()).isEqualTo(1.0);
        assertThat(m.detail()).startsWith("3 of 3 GET https://127.0.0.1:").contains("(Host shop.example.test) answered 2xx");
    }

    /** Main's test also wants a clear error naming {@code serverName}; the old code has no such field, so only "nothing sent" is asserted. */
    @Test
    void anHttpsListenerWithoutAnyHostIsAClearErrorNamingTheFieldToSetNotAnUnverifiedCall() throws Exception {
        HookRun listenerRun = hook(trusting, "{productionEndpoint}/", listener);

        assertThat(listenerRun.outcome()).isEqualTo("Failed");
        assertThat(listenerRun.attempts()).as("nothing was sent; " + listenerRun.detail()).isZero();
    }

    /**
     * Control (holds on the old and the fixed code): the old request, {@code https://<load balancer DNS name>}
     * over the JDK client, fails hostname verification though the client trusts the CA; and the same client
     * context, connecting to the same address but naming and verifying the rule's host (SNI
     * {@code shop.example.test}), completes the handshake: the certificate is trusted and valid for the
     * application's host, so the only thing wrong is the name the old code verifies.
     */
    @Test
    void theOldRequestToTheLoadBalancersNameFailsHostnameVerification() throws Exception {
        String base = new SdkEndpoints(elb).baseUrl(shopRule);

        assertThat(base).startsWith("https://127.0.0.1:");
        assertThatThrownBy(() -> trusting.send(HttpRequest.newBuilder(URI.create(base + "/cart")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class)
                .satisfies(e -> System.out.println("[before-fix] defect 11 old request " + base + "/cart: " + e));

        URI uri = URI.create(base);
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            try (SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(plain, "shop.example.test", uri.getPort(), false)) {
                SSLParameters p = tls.getSSLParameters();
                p.setServerNames(List.of(new SNIHostName("shop.example.test")));
                p.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(p);
                tls.startHandshake();
                assertThat(tls.getSession().getPeerPrincipal().getName()).isNotEmpty();
            }
        }
    }

    /** Control: a plain HTTP listener works through the old hook runner with the same client. */
    @Test
    void aPlainHttpListenerStillGoesThroughTheJdkClientWithTheRulesHost() throws Exception {
        String plain = elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTP).port(80)
                .defaultActions(fixed("plain"))).listeners().get(0).listenerArn();
        HookRun run = hook(trusting, "{productionEndpoint}/", plain);

        assertThat(run.detail()).isEqualTo("HTTP 200: plain");
    }
}
