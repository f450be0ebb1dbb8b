package io.ecsbluegreen.sim.model;

import io.ecsbluegreen.sim.protocol.AwsErrorException;
import io.ecsbluegreen.sim.protocol.AwsJson10;
import io.ecsbluegreen.sim.protocol.Encoding;
import io.ecsbluegreen.sim.protocol.RpcV2Cbor;
import io.ecsbluegreen.sim.protocol.SimRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * Reads a request's input into one tree the {@link Validator} walks, whatever the wire: structures and
 * maps as {@code Map}, lists as {@code List}, scalars as the wire gives them (JSON and CBOR values;
 * strings in Query form parameters, REST URIs, query strings and headers).
 *
 * <p>Query parameters carry no structure of their own ({@code Tags.member.1.Key}), so they are read
 * shape by shape from the model; parameters the model does not name are not part of the input.
 */
final class RequestInputs {

    private static final int MAX_INFLATED_BYTES = 64 * 1024 * 1024;

    private RequestInputs() {}

    /**
     * The input of {@code request} for {@code operation}, or empty when the body cannot be decoded: the
     * service then answers its own serialization error.
     */
    static Optional<Map<String, Object>> read(ConstraintTable.Service service, ConstraintTable.Operation operation,
            SimRequest request) {
        try {
            if (service.protocol().equals("rest-json")) {
                return Optional.of(rest(operation, request));
            }
            byte[] body = body(request);
            if (RpcV2Cbor.speaks(request)) {
                return Optional.of(RpcV2Cbor.decode(body));
            }
            if (request.header("X-Amz-Target") != null) {
                return Optional.of(AwsJson10.decode(body));
            }
            return Optional.of(query(operation.input(), "", params(request, body)));
        } catch (AwsErrorException | IOException e) {
            return Optional.empty();
        }
    }

    private static byte[] body(SimRequest request) throws IOException {
        String encoding = request.header("Content-Encoding");
        if (encoding == null || !encoding.toLowerCase(Locale.ROOT).contains("gzip")) {
            return request.body();
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(request.body()))) {
            byte[] inflated = in.readNBytes(MAX_INFLATED_BYTES + 1);
            if (inflated.length > MAX_INFLATED_BYTES) {
                throw new IOException("inflated body too large");
            }
            return inflated;
        }
    }

    private static NavigableMap<String, List<String>> params(SimRequest request, byte[] body) {
        if (body == request.body()) {
            return new TreeMap<>(request.params());
        }
        TreeMap<String, List<String>> merged = new TreeMap<>(request.queryParams());
        merged.putAll(Encoding.parseForm(new String(body, StandardCharsets.UTF_8)));
        return merged;
    }

    // ---- Query ---------------------------------------------------------------------------------

    private static Map<String, Object> query(Shape shape, String prefix, NavigableMap<String, List<String>> params) {
        Map<String, Object> struct = new LinkedHashMap<>();
        if (shape == null) {
            return struct;
        }
        for (Shape.Member member : shape.members.values()) {
            String name = prefix + member.wireName();
            Object value = queryValue(member.shape(), name, params);
            if (value != null) {
                struct.put(member.name(), value);
            }
        }
        return struct;
    }

    private static Object queryValue(Shape shape, String name, NavigableMap<String, List<String>> params) {
        return switch (shape.type) {
            case STRUCTURE -> under(params, name + ".").isEmpty() ? null : query(shape, name + ".", params);
            case LIST -> {
                TreeSet<Integer> indexes = indexes(params, name + ".member.");
                if (indexes.isEmpty()) {
                    // The SDKs send an empty list as the bare name with an empty value.
                    yield params.containsKey(name) ? List.of() : null;
                }
                List<Object> list = new ArrayList<>();
                for (int i : indexes) {
                    list.add(queryValue(shape.member, name + ".member." + i, params));
                }
                yield list;
            }
            case MAP -> {
                TreeSet<Integer> indexes = indexes(params, name + ".entry.");
                if (indexes.isEmpty()) {
                    yield null;
                }
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i : indexes) {
                    String entry = name + ".entry." + i + ".";
                    Object key = queryValue(shape.key, entry + shape.keyName, params);
                    map.put(String.valueOf(key), queryValue(shape.value, entry + shape.valueName, params));
                }
                yield map;
            }
            default -> {
                List<String> values = params.get(name);
                yield values == null ? null : values.get(0);
            }
        };
    }

    private static NavigableMap<String, List<String>> under(NavigableMap<String, List<String>> params, String prefix) {
        return params.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
    }

    private static TreeSet<Integer> indexes(NavigableMap<String, List<String>> params, String prefix) {
        TreeSet<Integer> indexes = new TreeSet<>();
        for (String key : under(params, prefix).keySet()) {
            int end = key.indexOf('.', prefix.length());
            String index = key.substring(prefix.length(), end < 0 ? key.length() : end);
            try {
                indexes.add(Integer.parseInt(index));
            } catch (NumberFormatException e) {
                // Not an item of this list: the model names no such parameter.
            }
        }
        return indexes;
    }

    // ---- REST JSON -----------------------------------------------------------------------------

    private static Map<String, Object> rest(ConstraintTable.Operation operation, SimRequest request) throws IOException {
        Shape shape = operation.input();
        Map<String, Object> input = new LinkedHashMap<>();
        if (shape == null) {
            return input;
        }
        Map<String, String> labels = labels(operation.requestUri(), request.rawPath());
        for (Shape.Member member : shape.members.values()) {
            String value = member.location() == null ? null : switch (member.location()) {
                case "uri" -> labels.get(member.wireName());
                case "querystring" -> request.queryParam(member.wireName());
                case "header" -> request.header(member.wireName());
                default -> null;
            };
            if (value != null) {
                input.put(member.name(), value);
            }
        }
        byte[] body = body(request);
        if (shape.payload != null) {
            Shape payload = shape.members.get(shape.payload).shape();
            if (body.length > 0) {
                input.put(shape.payload, payload.type == Shape.Type.STRUCTURE ? AwsJson10.decode(body) : body);
            }
        } else if (body.length > 0) {
            AwsJson10.decode(body).forEach(input::putIfAbsent);
        }
        return input;
    }

    /** The URI labels of a path against a template such as {@code /2015-03-31/functions/{FunctionName}}. */
    private static Map<String, String> labels(String template, String rawPath) {
        Map<String, String> labels = new LinkedHashMap<>();
        String[] names = template.split("\\?", 2)[0].split("/");
        String[] segments = rawPath.split("/");
        for (int i = 0; i < names.length && i < segments.length; i++) {
            String name = names[i];
            if (name.startsWith("{") && name.endsWith("}")) {
                labels.put(name.substring(1, name.length() - 1).replace("+", ""), Encoding.decodePath(segments[i]));
            }
        }
        return labels;
    }
}
