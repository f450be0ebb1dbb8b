package io.ecsbluegreen.model;

/** The operating system the task runs on. */
public enum OperatingSystemFamily implements WireValue {
    LINUX("LINUX"),
    WINDOWS_SERVER_2022_CORE("WINDOWS_SERVER_2022_CORE"),
    WINDOWS_SERVER_2022_FULL("WINDOWS_SERVER_2022_FULL"),
    WINDOWS_SERVER_2019_CORE("WINDOWS_SERVER_2019_CORE"),
    WINDOWS_SERVER_2019_FULL("WINDOWS_SERVER_2019_FULL");

    private final String wire;

    OperatingSystemFamily(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
