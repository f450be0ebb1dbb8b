package io.ecsbluegreen.model;

/** What an analysis check concludes when its query returns no data. */
public enum NoDataPolicy implements WireValue {
    FAIL("fail"),
    PASS("pass"),
    WAIT("wait");

    private final String wire;

    NoDataPolicy(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
