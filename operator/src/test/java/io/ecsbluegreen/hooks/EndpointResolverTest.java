package io.ecsbluegreen.hooks;

import io.ecsbluegreen.plan.ServerNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which host a hook or probe URL names, and when TLS verifies it, as rows. */
class EndpointResolverTest {

    private static final String LB = "web-123.us-east-1.elb.amazonaws.com";

    /** Listeners by ARN: {@code https-rule} matches shop.example.com, the others have no host. */
    private static final EndpointResolver LISTENERS = arn -> switch (arn) {
        case "https-rule" -> new EndpointResolver.Endpoint("https://" + LB + ":443", "shop.example.com");
        case "https-listener" -> new EndpointResolver.Endpoint("https://" + LB + ":443", null);
        case "http-rule" -> new EndpointResolver.Endpoint("http://" + LB + ":80", "shop.example.com");
        case "http-listener" -> new EndpointResolver.Endpoint("http://" + LB + ":8080", null);
        default -> throw new IllegalArgumentException(arn);
    };

    static Stream<Arguments> rows() {
        return Stream.of(
                // url, production, test, production serverName, test serverName, expected url, Host, TLS name
                Arguments.of("{productionEndpoint}/x", "https-rule", null, null, null, "https://" + LB + ":443/x", "shop.example.com", "shop.example.com"),
                Arguments.of("{productionEndpoint}/x", "https-rule", null, "www.example.com", null, "https://" + LB + ":443/x", "www.example.com", "www.example.com"),
                Arguments.of("{productionEndpoint}/x", "https-listener", null, "www.example.com", null, "https://" + LB + ":443/x", "www.example.com", "www.example.com"),
                Arguments.of("{testEndpoint}/x", "https-listener", "https-rule", "www.example.com", null, "https://" + LB + ":443/x", "shop.example.com", "shop.example.com"),
                Arguments.of("{testEndpoint}/x", "https-rule", "https-listener", null, "test.example.com", "https://" + LB + ":443/x", "test.example.com", "test.example.com"),
                Arguments.of("{productionEndpoint}/x", "http-rule", null, null, null, "http://" + LB + ":80/x", "shop.example.com", null),
                Arguments.of("{productionEndpoint}/x", "http-listener", null, null, null, "http://" + LB + ":8080/x", null, null),
                Arguments.of("{productionEndpoint}/x", "http-listener", null, "www.example.com", null, "http://" + LB + ":8080/x", "www.example.com", null),
                // the endpoint the URL starts with is the one called; a later placeholder is only text
                Arguments.of("{productionEndpoint}/x?then={testEndpoint}", "http-rule", "https-listener", null, null,
                        "http://" + LB + ":80/x?then=https://" + LB + ":443", "shop.example.com", null),
                Arguments.of("https://smoke.example.com/run?target={productionEndpoint}", "https-listener", null, null, null,
                        "https://smoke.example.com/run?target=https://" + LB + ":443", null, null),
                Arguments.of("https://smoke.example.com/", "https-listener", null, null, null, "https://smoke.example.com/", null, null));
    }

    @ParameterizedTest
    @MethodSource("rows")
    void theLeadingEndpointDecidesTheHostAndAnHttpsListenerAlsoTheTlsName(String url, String production, String test,
            String productionName, String testName, String expectedUrl, String host, String serverName) {
        EndpointResolver.Request request = LISTENERS.expand(url, test, production, new ServerNames(productionName, testName));

        assertThat(request).isEqualTo(new EndpointResolver.Request(expectedUrl, host, serverName));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("{productionEndpoint}/x", "https-listener", null, "set spec.traffic.production.serverName"),
                Arguments.of("{testEndpoint}/x", "https-rule", "https-listener", "set spec.traffic.test.serverName"),
                Arguments.of("{testEndpoint}/x", "https-rule", null, "no test listener"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void anHttpsListenerWithoutAHostIsRefusedNamingTheFieldToSet(String url, String production, String test, String message) {
        assertThatThrownBy(() -> LISTENERS.expand(url, test, production, ServerNames.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
