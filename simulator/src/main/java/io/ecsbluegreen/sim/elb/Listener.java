package io.ecsbluegreen.sim.elb;

import java.util.List;

/**
 * A simulated listener. Immutable.
 *
 * @param arn {@code arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/LBNAME/LBID/ID}
 * @param requestedPort the {@code Port} the caller asked for (what DuplicateListener compares)
 * @param port the port the listener really listens on at {@code 127.0.0.1} and reports: the requested
 *     one in {@code EXACT} mode, an ephemeral one in {@code EPHEMERAL} mode
 * @param defaultActions the actions of the default rule
 * @param certificates HTTPS: the certificate ARNs (not resolved: every HTTPS listener serves the {@link TlsCertificates} certificate)
 * @param defaultRuleArn the ARN of the listener's default rule
 */
public record Listener(String arn, String loadBalancerArn, String protocol, int requestedPort, int port,
                       List<Action> defaultActions, List<String> certificates, String sslPolicy,
                       String defaultRuleArn) {

    public Listener {
        defaultActions = List.copyOf(defaultActions);
        certificates = List.copyOf(certificates);
    }

    public String id() {
        return Arns.idOf(arn);
    }

    /** {@code http://127.0.0.1:PORT} ({@code https://} for HTTPS), where the listener answers. */
    public String endpoint() {
        return (protocol.equals("HTTPS") ? "https://" : "http://") + ElbStore.DNS_NAME + ":" + port;
    }

    Listener withPort(int newRequestedPort, int newPort) {
        return new Listener(arn, loadBalancerArn, protocol, newRequestedPort, newPort, defaultActions, certificates,
                sslPolicy, defaultRuleArn);
    }

    Listener withDefaultActions(List<Action> actions) {
        return new Listener(arn, loadBalancerArn, protocol, requestedPort, port, actions, certificates, sslPolicy,
                defaultRuleArn);
    }

    Listener withProtocol(String newProtocol, List<String> newCertificates, String newSslPolicy) {
        return new Listener(arn, loadBalancerArn, newProtocol, requestedPort, port, defaultActions, newCertificates,
                newSslPolicy, defaultRuleArn);
    }
}
