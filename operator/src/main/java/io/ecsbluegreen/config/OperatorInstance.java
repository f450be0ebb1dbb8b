package io.ecsbluegreen.config;

import io.ecsbluegreen.plan.OperatorOwnership;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/** This operator instance's identity among replicas, from {@code bluegreen.instance.*}. */
public final class OperatorInstance {
    private OperatorInstance() {}

    /** The configured instance, with a generated id when none is set. */
    public static OperatorOwnership.Self of(OperatorConfig.Instance config) {
        String id = config.id().filter(s -> !s.isBlank()).orElseGet(() -> generatedId(hostName(), new SecureRandom()));
        return new OperatorOwnership.Self(id, config.takeoverAfter(), config.heartbeat());
    }

    /** This replica's name among lease holders: the configured one, else the host name. */
    public static String replicaId(OperatorConfig.Leases config) {
        return config.replicaId().filter(s -> !s.isBlank()).orElseGet(OperatorInstance::hostName);
    }

    /**
     * {@code HOST-XXXXXXXX}: the host name (a pod's or task's, which differs between replicas) and eight
     * random hex digits chosen at start, so that two processes on one host differ too.
     */
    static String generatedId(String host, RandomGenerator random) {
        byte[] suffix = new byte[4];
        for (int i = 0; i < suffix.length; i++) suffix[i] = (byte) random.nextInt(256);
        return host + "-" + HexFormat.of().formatHex(suffix);
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env;
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "operator";
        }
    }
}
