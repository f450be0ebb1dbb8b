package io.ecsbluegreen.sim.protocol;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An operation's output as a protocol-neutral structure, so that a service that AWS serves in several
 * protocols (CloudWatch: Query, JSON 1.0 and RPC v2 CBOR) computes its answer once and each protocol
 * renders it ({@link QueryXml#response}, {@link AwsJson10#response}, {@link RpcV2Cbor#response}).
 *
 * <p>Member values keep their model type, which the protocols need: {@link String}, {@link Integer} or
 * {@link Long}, {@link Double}, {@link Boolean}, {@link Instant} (timestamps), a nested {@code Struct},
 * a {@link List} of any of these (lists), or a {@link Map} from strings to any of these (map shapes).
 * Members are kept in the order they are put; null values are left out, as both protocols omit them.
 */
public final class Struct {

    private final Map<String, Object> members = new LinkedHashMap<>();

    private Struct() {}

    /** An empty structure. */
    public static Struct of() {
        return new Struct();
    }

    /**
     * Sets a member; does nothing when {@code value} is null.
     *
     * @throws IllegalArgumentException for a value of a type no protocol can render
     */
    public Struct put(String name, Object value) {
        if (value != null) {
            check(value);
            members.put(name, value);
        }
        return this;
    }

    /** The members in the order they were put. */
    public Map<String, Object> members() {
        return Collections.unmodifiableMap(members);
    }

    private static void check(Object value) {
        if (value instanceof List<?> list) {
            list.forEach(Struct::check);
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (!(k instanceof String)) {
                    throw new IllegalArgumentException("map keys must be strings, not " + k);
                }
                check(v);
            });
        } else if (!(value instanceof String || value instanceof Integer || value instanceof Long
                || value instanceof Double || value instanceof Boolean || value instanceof Instant
                || value instanceof Struct)) {
            throw new IllegalArgumentException("no protocol renders a " + value.getClass().getName());
        }
    }
}
