package io.ecsbluegreen.model;

/** The CPU architecture the task runs on. */
public enum CpuArchitecture implements WireValue {
    X86_64("X86_64"),
    ARM64("ARM64");

    private final String wire;

    CpuArchitecture(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
