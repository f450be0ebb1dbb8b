package io.ecsbluegreen.model;

/** The method of an HTTP hook. */
public enum HttpMethod implements WireValue {
    GET("GET"),
    POST("POST"),
    PUT("PUT"),
    PATCH("PATCH"),
    DELETE("DELETE"),
    HEAD("HEAD");

    private final String wire;

    HttpMethod(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
