package io.ecsbluegreen.model;

/** The application protocol of a port mapping, for Service Connect. */
public enum AppProtocol implements WireValue {
    HTTP("http"),
    HTTP2("http2"),
    GRPC("grpc");

    private final String wire;

    AppProtocol(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
