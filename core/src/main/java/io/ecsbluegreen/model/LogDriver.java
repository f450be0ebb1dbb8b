package io.ecsbluegreen.model;

/** The log driver of a container. */
public enum LogDriver implements WireValue {
    AWSLOGS("awslogs"),
    FLUENTD("fluentd"),
    GELF("gelf"),
    JSON_FILE("json-file"),
    JOURNALD("journald"),
    LOGENTRIES("logentries"),
    SPLUNK("splunk"),
    SYSLOG("syslog"),
    AWSFIRELENS("awsfirelens");

    private final String wire;

    LogDriver(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
