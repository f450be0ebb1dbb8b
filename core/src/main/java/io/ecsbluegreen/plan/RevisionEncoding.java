package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.model.CapacityProviderItem;
import io.ecsbluegreen.model.ContainerHealthCheck;
import io.ecsbluegreen.model.ContainerSpec;
import io.ecsbluegreen.model.LogConfiguration;
import io.ecsbluegreen.model.NetworkConfiguration;
import io.ecsbluegreen.model.PortMapping;
import io.ecsbluegreen.model.RuntimePlatform;
import io.ecsbluegreen.model.TaskDefinitionSpec;
import io.ecsbluegreen.model.WireValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical bytes a {@link Revision} id hashes: FROZEN. Every byte this class writes for a spec is
 * part of the revision id, which AWS keeps as each task set's external id; a release that wrote other
 * bytes for the same spec would start a rollout of every running service with that spec right after the
 * upgrade. {@code GoldenRevisionTest} pins the ids of a fixed set of specs.
 *
 * <p>It depends on nothing but the model records, on purpose: no JSON library, no settings shared with
 * the REST API or the CLI, no duration formatter shared with the YAML reader. The encoding is JSON, the
 * exact bytes the operator's first releases produced through Jackson (which is why the rules below look
 * the way they do):
 * <ul>
 *   <li>objects: keys sorted by {@link String#compareTo} (UTF-16 code units), no whitespace; an entry
 *       whose value is {@code null} is left out (a record's field, a map's value); an empty list or map is
 *       written ({@code []}, {@code {}}); a {@code null} inside a list is written {@code null};</li>
 *   <li>strings: UTF-8; {@code "} and {@code \} escaped with a backslash, {@code \b \t \n \f \r} as such,
 *       the other characters below U+0020 and every UTF-16 surrogate (so each character beyond U+FFFF, as
 *       its pair) as <code>&#92;uXXXX</code> with upper-case hex digits; everything else as is (no escaping
 *       of {@code /}, U+007F or other non-ASCII);</li>
 *   <li>numbers: integers in decimal; booleans {@code true}/{@code false};</li>
 *   <li>enums: their wire name ({@link WireValue#wire()}), as in the YAML files;</li>
 *   <li>durations: {@link #duration}, largest unit first ({@code 1h30m}, {@code 2s500ms}, {@code 0s}).</li>
 * </ul>
 *
 * <p>Adding a field to the revision: write it only when it is set (not {@code null}), never as a
 * default, so that every spec that does not set it keeps its id. Renaming or removing a field here, or
 * changing any rule above, changes ids: don't.
 */
final class RevisionEncoding {

    private RevisionEncoding() {}

    /** The canonical bytes of the part of {@code spec} that needs new tasks when it changes. */
    static byte[] of(BlueGreenServiceSpec spec) {
        Map<String, Object> content = new TreeMap<>();
        content.put("taskDefinition", taskDefinition(spec.taskDefinition()));
        content.put("launchType", spec.launchType());
        content.put("capacityProviderStrategy", spec.capacityProviderStrategy() == null ? null
                : spec.capacityProviderStrategy().stream().map(RevisionEncoding::capacityProvider).toList());
        content.put("platformVersion", spec.platformVersion());
        content.put("networkConfiguration", network(spec.networkConfiguration()));
        content.put("containerName", spec.traffic().containerName());
        content.put("containerPort", spec.traffic().containerPort());
        StringBuilder out = new StringBuilder(1024);
        write(out, content);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---- the records, field by field -------------------------------------------------------------------

    private static Map<String, Object> taskDefinition(TaskDefinitionSpec t) {
        if (t == null) return null;
        Map<String, Object> m = new TreeMap<>();
        m.put("arn", t.arn());
        m.put("family", t.family());
        m.put("cpu", t.cpu());
        m.put("memory", t.memory());
        m.put("executionRoleArn", t.executionRoleArn());
        m.put("taskRoleArn", t.taskRoleArn());
        m.put("networkMode", t.networkMode());
        m.put("runtimePlatform", runtimePlatform(t.runtimePlatform()));
        m.put("ephemeralStorageGiB", t.ephemeralStorageGiB());
        m.put("containers", t.containers() == null ? null : t.containers().stream().map(RevisionEncoding::container).toList());
        return m;
    }

    private static Map<String, Object> runtimePlatform(RuntimePlatform r) {
        if (r == null) return null;
        Map<String, Object> m = new TreeMap<>();
        m.put("cpuArchitecture", r.cpuArchitecture());
        m.put("operatingSystemFamily", r.operatingSystemFamily());
        return m;
    }

    private static Map<String, Object> container(ContainerSpec c) {
        if (c == null) return null;
        Map<String, Object> m = new TreeMap<>();
        m.put("name", c.name());
        m.put("image", c.image());
        m.put("essential", c.essential());
        m.put("cpu", c.cpu());
        m.put("memory", c.memory());
        m.put("memoryReservation", c.memoryReservation());
        m.put("entryPoint", c.entryPoint());
        m.put("command", c.command());
        m.put("portMappings", c.portMappings() == null ? null : c.portMappings().stream().map(RevisionEncoding::portMapping).toList());
        m.put("environment", c.environment());
        m.put("secrets", c.secrets());
        m.put("healthCheck", healthCheck(c.healthCheck()));
        m.put("logConfiguration", logConfiguration(c.logConfiguration()));
        m.put("readonlyRootFilesystem", c.readonlyRootFilesystem());
        m.put("stopTimeout", c.stopTimeout());
        return m;
    }

    private static Map<String, Object> portMapping(PortMapping p) {
        if (p == null) return null;
        Map<String, Object> m = new TreeMap<>();
        m.put("containerPort", p.containerPort());
        m.put("hostPort", p.hostPort());
        m.put("protocol", p.protocol());
        m.put("name", p.name());
        m.put("appProtocol", p.appProtocol());
        return m;
    }

    private static Map<String, Object> healthCheck(ContainerHealthCheck h) {
        if (h == null) return null;
        Map<String, Object> m = new TreeMap<>();
        m.put("command", h.command());
        m.put("interval", h.interval());
        m.put("timeout", h.timeout());
        m.put("retries", h.retries());
        m.put("startPeriod", h.startPeriod());
        return m;
    }

    private static Map<String, Object> logConfiguration(LogConfiguration l) {
        if (l == null) return null;
        Map<String, Object> m = new TreeMap<>();
        m.put("logDriver", l.logDriver());
        m.put("options", l.options());
        m.put("secretOptions", l.secretOptions());
        return m;
    }

    private static Map<String, Object> capacityProvider(CapacityProviderItem c) {
        if (c == null) return null;
        Map<String, Object> m = new TreeMap<>();
        m.put("capacityProvider", c.capacityProvider());
        m.put("weight", c.weight());
        m.put("base", c.base());
        return m;
    }

    private static Map<String, Object> network(NetworkConfiguration n) {
        if (n == null) return null;
        Map<String, Object> m = new TreeMap<>();
        m.put("subnets", n.subnets());
        m.put("securityGroups", n.securityGroups());
        m.put("assignPublicIp", n.assignPublicIp());
        return m;
    }

    // ---- JSON -----------------------------------------------------------------------------------------

    private static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Duration d) {
            string(out, duration(d));
        } else if (value instanceof WireValue w) {
            string(out, w.wire());
        } else if (value instanceof Map<?, ?> m) {
            writeObject(out, m);
        } else if (value instanceof List<?> l) {
            out.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) out.append(',');
                write(out, l.get(i));
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("no canonical form for a " + value.getClass().getName()
                    + "; add one here without changing any existing form");
        }
    }

    /** An object: entries sorted by key, those whose value is null left out. */
    private static void writeObject(StringBuilder out, Map<?, ?> map) {
        Map<String, Object> sorted = new TreeMap<>();
        map.forEach((k, v) -> sorted.put((String) k, v));
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : sorted.entrySet()) {
            if (e.getValue() == null) continue;
            if (!first) out.append(',');
            first = false;
            string(out, e.getKey());
            out.append(':');
            write(out, e.getValue());
        }
        out.append('}');
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    // characters beyond U+FFFF as their two escaped UTF-16 surrogates, as Jackson wrote them
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
                                .append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * A duration as the revision writes it: days, hours, minutes, seconds, milliseconds, each when not
     * zero, largest first ({@code 1h30m}, {@code 2500ms} is {@code 2s500ms}); {@code 0s} for zero. A copy
     * of the YAML reader's formatter as it was, so that a change there cannot change ids.
     */
    static String duration(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long days = d.toDays();
        if (days > 0) sb.append(days).append('d');
        if (d.toHoursPart() > 0) sb.append(d.toHoursPart()).append('h');
        if (d.toMinutesPart() > 0) sb.append(d.toMinutesPart()).append('m');
        if (d.toSecondsPart() > 0) sb.append(d.toSecondsPart()).append('s');
        if (d.toMillisPart() > 0) sb.append(d.toMillisPart()).append("ms");
        return sb.toString();
    }
}
