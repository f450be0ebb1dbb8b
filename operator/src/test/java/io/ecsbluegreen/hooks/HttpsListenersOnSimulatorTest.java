package io.ecsbluegreen.hooks;

import io.ecsbluegreen.plan.ServerNames;
import io.ecsbluegreen.plan.HookCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.aws.SdkEndpoints;
import io.ecsbluegreen.plan.AnalysisTarget;
import io.ecsbluegreen.analysis.HttpProbeMeasurer;
import io.ecsbluegreen.observed.Measurement;
import io.ecsbluegreen.observed.Measurement.Verdict;
import io.ecsbluegreen.config.TlsTrust;
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
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
 * http hooks and HTTP probes through the simulator's real HTTPS listener, whose certificate names the
 * application ({@code *.example.test}), not the load balancer: the connection goes to the load balancer,
 * TLS names and verifies the rule's host or the spec's {@code serverName}, and the simulator's CA is
 * trusted the way an operator trusts a private CA, through a {@code bluegreen.tls.ca-bundle} PEM file.
 */
class HttpsListenersOnSimulatorTest {

    private static final String CERT = "arn:aws:acm:us-east-1:000000000000:certificate/abc";

    @TempDir
    Path dir;

    private AwsSimulator sim;
    private ElasticLoadBalancingV2Client elb;
    private String lb;
    private String listener;
    /** Matches {@code shop.example.test}: its host is the hooks'. */
    private String shopRule;
    /** Matches {@code *-api.example.test} only: no host without a serverName. */
    private String wildcardRule;
    private HttpClient trusting;
    private final LinkedBlockingQueue<HookRun> runs = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws IOException, CertificateEncodingException {
        sim = AwsSimulator.start(SimulatorConfig.defaults().withClockStart(Instant.parse("2025-06-01T12:00:00Z")));
        elb = ElasticLoadBalancingV2Client.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        lb = elb.createLoadBalancer(b -> b.name("web").subnets("subnet-aaaa1111", "subnet-bbbb2222")).loadBalancers().get(0)
                .loadBalancerArn();
        listener = https(fixed("listener")).listenerArn();
        shopRule = rule(1, "shop.example.test", "shop");
        wildcardRule = rule(2, "*-api.example.test", "wildcard");
        Path bundle = dir.resolve("ca.pem");
        Files.writeString(bundle, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(sim.elb().tls().caCertificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        trusting = client(TlsTrust.context(Optional.of(bundle)));
    }

    @AfterEach
    void stop() {
        elb.close();
        sim.close();
    }

    private static HttpClient client(javax.net.ssl.SSLContext trust) {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(trust).build();
    }

    private static Action fixed(String body) {
        return Action.builder().type(ActionTypeEnum.FIXED_RESPONSE)
                .fixedResponseConfig(f -> f.statusCode("200").contentType("text/plain").messageBody(body)).build();
    }

    private Listener https(Action action) {
        return https(443, action);
    }

    private Listener https(int port, Action action) {
        return elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTPS).port(port)
                .certificates(c -> c.certificateArn(CERT)).defaultActions(action)).listeners().get(0);
    }

    private String rule(int priority, String host, String body) {
        return elb.createRule(b -> b.listenerArn(listener).priority(priority)
                .conditions(c -> c.field("host-header").hostHeaderConfig(h -> h.values(host))).actions(fixed(body)))
                .rules().get(0).ruleArn();
    }

    /** Runs an http hook calling {@code url} against {@code production}; its run, waited for 30 s at most. */
    private HookRun hook(HttpClient http, String url, String production, ServerNames names) throws InterruptedException {
        HookSpec spec = new HookSpec("smoke", Duration.ofSeconds(20), FailurePolicy.ROLLBACK, null,
                new HttpHook(HttpMethod.GET, url, null, null, List.of(), null, 0, Duration.ofMillis(100)), null);
        try (HookRunner runner = new HookRunner((f, q, p) -> null, null, new SdkEndpoints(elb), http, Clock.systemUTC(),
                (service, run) -> runs.add(run), service -> { }, 1)) {
            runner.start(new HookCall("shop", "rev-1", "afterAllowTestTraffic", 0, spec, "demo", "shop", "ts", production, null,
                    null, names));
            HookRun run = runs.poll(30, TimeUnit.SECONDS);
            assertThat(run).as("the hook ended within 30 s").isNotNull();
            return run;
        }
    }

    private Measurement probe(HttpClient http, String production, ServerNames names) {
        AnalysisCheck check = new AnalysisCheck("probe", null, 1, NoDataPolicy.FAIL, null, null,
                new HttpProbeCheck("{productionEndpoint}/cart", List.of(), 1.0, 3, Duration.ofSeconds(5)));
        AnalysisTarget target = new AnalysisTarget("shop", "rev-1", "us-east-1", "ts", "tg", production, null, null, names);
        return new HttpProbeMeasurer(http, new SdkEndpoints(elb))
                .measure(check, new AnalysisSpec(Duration.ofMinutes(1), null, List.of(check)), target, Instant.now());
    }

    @Test
    void anHttpHookThroughAnHttpsRuleConnectsToTheLoadBalancerAndVerifiesTheRulesHost() throws Exception {
        HookRun run = hook(trusting, "{productionEndpoint}/cart", shopRule, ServerNames.NONE);

        assertThat(run.outcome()).as(run.detail()).isEqualTo("Succeeded");
        assertThat(run.detail()).isEqualTo("HTTP 200: shop");
    }

    @Test
    void anHttpProbeThroughAnHttpsRuleVerifiesTheRulesHostOnEveryRequest() {
        Measurement m = probe(trusting, shopRule, ServerNames.NONE);

        assertThat(m.verdict()).as(m.detail()).isEqualTo(Verdict.PASSED);
        assertThat(m.value()).isEqualTo(1.0);
        assertThat(m.detail()).startsWith("3 of 3 GET https://127.0.0.1:").contains("(Host shop.example.test) answered 2xx");
    }

    @Test
    void theSpecsServerNameReachesAListenerAndAWildcardRuleAndWinsOverTheRulesHost() throws Exception {
        HookRun viaListener = hook(trusting, "{productionEndpoint}/", listener, new ServerNames("www.example.test", null));
        HookRun viaWildcard = hook(trusting, "{productionEndpoint}/", wildcardRule, new ServerNames("shop-api.example.test", null));
        HookRun overRule = hook(trusting, "{productionEndpoint}/", shopRule, new ServerNames("shop-api.example.test", null));
        Measurement probed = probe(trusting, wildcardRule, new ServerNames("shop-api.example.test", null));

        assertThat(viaListener.detail()).as("www matches no rule: the listener's default action").isEqualTo("HTTP 200: listener");
        assertThat(viaWildcard.detail()).isEqualTo("HTTP 200: wildcard");
        assertThat(overRule.detail()).as("Host shop-api.example.test, so the wildcard rule answers").isEqualTo("HTTP 200: wildcard");
        assertThat(probed.verdict()).as(probed.detail()).isEqualTo(Verdict.PASSED);
        assertThat(probed.detail()).contains("(Host shop-api.example.test)");
    }

    @Test
    void anHttpsListenerWithoutAnyHostIsAClearErrorNamingTheFieldToSetNotAnUnverifiedCall() throws Exception {
        HookRun listenerRun = hook(trusting, "{productionEndpoint}/", listener, ServerNames.NONE);
        HookRun wildcardRun = hook(trusting, "{productionEndpoint}/", wildcardRule, ServerNames.NONE);
        Measurement probed = probe(trusting, listener, ServerNames.NONE);

        for (HookRun run : List.of(listenerRun, wildcardRun)) {
            assertThat(run.outcome()).isEqualTo("Failed");
            assertThat(run.attempts()).as("nothing was sent").isZero();
            assertThat(run.detail()).contains("HTTPS listener", "set spec.traffic.production.serverName");
        }
        assertThat(probed.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(probed.detail()).contains("set spec.traffic.production.serverName");
        assertThat(sim.elb().tls().names()).as("the certificate would have matched nothing here").containsExactly("*.example.test");
    }

    @Test
    void aCertificateForAnotherNameFailsVerificationWithAClearReasonNotAPass() throws Exception {
        sim.elb().tls().names(List.of("*.other.test"));
        Listener other = https(8443, fixed("other"));

        HookRun run = hook(trusting, "{productionEndpoint}/", other.listenerArn(), new ServerNames("shop.example.test", null));
        Measurement probed = probe(trusting, other.listenerArn(), new ServerNames("shop.example.test", null));

        assertThat(run.outcome()).isEqualTo("Failed");
        assertThat(run.detail()).startsWith("SSLHandshakeException calling https://127.0.0.1:" + other.port() + "/ as shop.example.test: ")
                .contains("the certificate of 127.0.0.1:" + other.port() + " is not valid for shop.example.test");
        assertThat(probed.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(probed.value()).isEqualTo(0.0);
        assertThat(probed.detail()).contains("0 of 3", "not valid for shop.example.test", "No subject alternative DNS name matching shop.example.test", "×3");
    }

    @Test
    void aCertificateFromACaNotTrustedFailsVerification() throws Exception {
        HookRun run = hook(client(javax.net.ssl.SSLContext.getDefault()), "{productionEndpoint}/cart", shopRule,
                ServerNames.NONE);

        assertThat(run.outcome()).isEqualTo("Failed");
        assertThat(run.detail()).contains("is not valid for shop.example.test", "unable to find valid certification path");
    }

    /**
     * What the hooks and probes did before: {@code https://<load balancer DNS name>} with the rule's Host,
     * over the JDK client, which verifies the name it connects to; the certificate does not carry it.
     */
    @Test
    void theOldRequestToTheLoadBalancersNameFailsHostnameVerification() {
        String base = new SdkEndpoints(elb).baseUrl(shopRule);

        assertThat(base).startsWith("https://127.0.0.1:");
        assertThatThrownBy(() -> trusting.send(HttpRequest.newBuilder(URI.create(base + "/cart")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aPlainHttpListenerStillGoesThroughTheJdkClientWithTheRulesHost() throws Exception {
        String plain = elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTP).port(80)
                .defaultActions(fixed("plain"))).listeners().get(0).listenerArn();
        HookRun run = hook(trusting, "{productionEndpoint}/", plain, ServerNames.NONE);

        assertThat(run.detail()).isEqualTo("HTTP 200: plain");
    }
}
