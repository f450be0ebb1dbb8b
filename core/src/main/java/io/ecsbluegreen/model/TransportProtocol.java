package io.ecsbluegreen.model;

/** The transport protocol of a port mapping. */
public enum TransportProtocol implements WireValue {
    TCP("tcp"),
    UDP("udp");

    private final String wire;

    TransportProtocol(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
