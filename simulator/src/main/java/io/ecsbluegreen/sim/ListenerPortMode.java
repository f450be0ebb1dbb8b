package io.ecsbluegreen.sim;

/**
 * Which loopback port the data plane of a simulated load balancer listener binds.
 *
 * <p>Every simulated ELBv2 listener really listens on {@code 127.0.0.1}, so that HTTP clients can send
 * traffic through it while an operator moves weights.
 */
public enum ListenerPortMode {
    /**
     * Bind the listener's own {@code Port} (80, 8080, ...), as on AWS: for demos, where the ports are
     * known in advance. Creating a listener fails when the port is taken or privileged.
     */
    EXACT,
    /**
     * Bind an ephemeral port and report it as the listener's {@code Port} in every answer, so that
     * {@code http://DNSName:Port} from the API is the real endpoint: for tests, which run side by side.
     */
    EPHEMERAL
}
