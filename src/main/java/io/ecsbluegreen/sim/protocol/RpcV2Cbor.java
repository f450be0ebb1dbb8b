package io.ecsbluegreen.sim.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Smithy RPC v2 CBOR protocol ({@code smithy.protocols#rpcv2Cbor}), which recent AWS SDKs (SDK v2
 * from 2.40.7) speak to CloudWatch: {@code POST /service/SERVICE/operation/OPERATION} with {@code smithy-protocol:
 * rpc-v2-cbor} and the input structure as a CBOR map; the output comes back the same way, errors as a
 * map with {@code __type} and {@code message}.
 *
 * <p>Timestamps travel as CBOR tag 1 (epoch seconds, integer or floating point). Requests are read
 * without the service model, so CBOR maps are structures and byte strings blobs.
 */
public final class RpcV2Cbor {

    /** The request and response header that names the protocol. */
    public static final String PROTOCOL_HEADER = "smithy-protocol";
    /** Its value for this protocol. */
    public static final String PROTOCOL = "rpc-v2-cbor";
    public static final String CONTENT_TYPE = "application/cbor";
    /** Services that moved from the Query protocol name their errors' Query codes in this header. */
    public static final String QUERY_ERROR_HEADER = "x-amzn-query-error";

    private static final CBORFactory FACTORY = new CBORFactory();
    // Only the last four segments route; a prefix such as /v1 is allowed.
    private static final Pattern PATH = Pattern.compile("(?:/.*)?/service/([^/]+)/operation/([^/]+)");
    private static final int EPOCH_TAG = 1;
    private static final int MAX_DEPTH = 64;

    private RpcV2Cbor() {}

    /**
     * The service and operation named by an RPC v2 CBOR request's path.
     *
     * @param service the service shape's name, without namespace ({@code GraniteServiceVersion20100801})
     * @param operation the operation's name ({@code DescribeAlarms})
     */
    public record Target(String service, String operation) {}

    /** Whether the request says it speaks this protocol, so that its answer, errors included, must too. */
    public static boolean speaks(SimRequest request) {
        String value = request.header(PROTOCOL_HEADER);
        return value != null && value.trim().equalsIgnoreCase(PROTOCOL);
    }

    /** The target of an RPC v2 CBOR request; empty for requests in any other protocol. */
    public static Optional<Target> target(SimRequest request) {
        if (!speaks(request) || !request.method().equals("POST")) {
            return Optional.empty();
        }
        Matcher m = PATH.matcher(request.path());
        if (!m.matches()) {
            return Optional.empty();
        }
        // Servers should also accept the absolute shape id with '#' written as '.', e.g.
        // com.amazonaws.cloudwatch.GraniteServiceVersion20100801.
        String service = m.group(1).substring(m.group(1).lastIndexOf('.') + 1);
        return Optional.of(new Target(service, m.group(2)));
    }

    /**
     * Decodes an input structure: maps become {@code Map<String, Object>} in wire order, arrays lists,
     * tag-1 numbers {@link Instant}s, other numbers {@link Long}, {@link java.math.BigInteger} or
     * {@link Double}, byte strings {@code byte[]}. An empty body is an empty structure.
     *
     * @throws AwsErrorException {@code SerializationException} when the body is not one CBOR map
     */
    public static Map<String, Object> decode(byte[] body) {
        if (body.length == 0) {
            return Map.of();
        }
        try (CBORParser parser = FACTORY.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("the body is not a CBOR map");
            }
            Map<String, Object> input = readMap(parser, 0);
            if (parser.nextToken() != null) {
                throw malformed("the body has data after its CBOR map");
            }
            return input;
        } catch (JsonProcessingException e) {
            throw malformed(e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object read(CBORParser parser, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw malformed("the body nests deeper than " + MAX_DEPTH + " levels");
        }
        JsonToken token = parser.currentToken();
        if (token == null) {
            throw malformed("the body ends in the middle of a value");
        }
        boolean epoch = parser.getCurrentTag() == EPOCH_TAG;
        return switch (token) {
            case START_OBJECT -> readMap(parser, depth);
            case START_ARRAY -> readList(parser, depth);
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> epoch ? Instant.ofEpochSecond(parser.getLongValue()) : parser.getNumberValue();
            // Half and single precision widen to double: the model's floating types are doubles.
            case VALUE_NUMBER_FLOAT -> epoch ? Instant.ofEpochMilli(Math.round(parser.getDoubleValue() * 1000))
                    : (Object) parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_EMBEDDED_OBJECT -> parser.getBinaryValue();
            case VALUE_NULL -> null;
            default -> throw malformed("unexpected " + token);
        };
    }

    private static Map<String, Object> readMap(CBORParser parser, int depth) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        // Every turn consumes tokens, so the loop ends with the body at the latest.
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            if (t != JsonToken.FIELD_NAME) {
                throw malformed("the body ends in the middle of a map");
            }
            String name = parser.currentName();
            parser.nextToken();
            map.put(name, read(parser, depth + 1));
        }
        return map;
    }

    private static List<Object> readList(CBORParser parser, int depth) throws IOException {
        List<Object> list = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            list.add(read(parser, depth + 1));
        }
        return list;
    }

    /**
     * The input as Query-protocol parameters ({@code Dimensions.member.1.Name}), for services that AWS
     * serves in both protocols and that read their input in the Query form: structure members join with
     * a dot, list items are {@code .member.N} (an empty list is the bare name with an empty value, as the
     * SDKs send it), timestamps ISO 8601, blobs base64, numbers and booleans their decimal text.
     */
    public static Map<String, List<String>> queryParams(Map<String, Object> input) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        input.forEach((name, value) -> flatten(name, value, params));
        return params;
    }

    private static void flatten(String name, Object value, Map<String, List<String>> params) {
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((member, v) -> flatten(name + "." + member, v, params));
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                params.put(name, List.of(""));
            }
            for (int i = 0; i < list.size(); i++) {
                flatten(name + ".member." + (i + 1), list.get(i), params);
            }
        } else if (value instanceof byte[] bytes) {
            params.put(name, List.of(Base64.getEncoder().encodeToString(bytes)));
        } else {
            params.put(name, List.of(value.toString()));
        }
    }

    /** A 200 answer with the operation's output; null for an operation without output, which has no body. */
    public static SimResponse response(Struct output) {
        if (output == null) {
            return new SimResponse(200, Map.of(PROTOCOL_HEADER, PROTOCOL), null);
        }
        return new SimResponse(200, Map.of(PROTOCOL_HEADER, PROTOCOL, "Content-Type", CONTENT_TYPE), encode(output));
    }

    /**
     * An error answer: {@code {"__type": shapeId, "message": ...}} with the error's status.
     *
     * @param shapeId the error's absolute shape id ({@code com.amazonaws.cloudwatch#ResourceNotFound})
     * @param queryCompatible whether the service carries {@code awsQueryCompatible}: then the Query error
     *     code and fault go in {@code x-amzn-query-error}, where clients take the error code from
     */
    public static SimResponse error(AwsErrorException error, String shapeId, boolean queryCompatible) {
        Struct body = Struct.of().put("__type", shapeId).put("message", error.errorMessage());
        SimResponse response = new SimResponse(error.status(),
                Map.of(PROTOCOL_HEADER, PROTOCOL, "Content-Type", CONTENT_TYPE), encode(body));
        return queryCompatible
                ? response.withHeader(QUERY_ERROR_HEADER, error.code() + ";" + (error.senderFault() ? "Sender" : "Receiver"))
                : response;
    }

    /** Encodes a structure as a CBOR map with definite lengths. */
    public static byte[] encode(Struct struct) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (CBORGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, struct);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(CBORGenerator g, Object value) throws IOException {
        if (value instanceof Struct struct) {
            writeMap(g, struct.members());
        } else if (value instanceof Map<?, ?> map) {
            writeMap(g, map);
        } else if (value instanceof List<?> list) {
            g.writeStartArray(list, list.size());
            for (Object item : list) {
                write(g, item);
            }
            g.writeEndArray();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Integer i) {
            g.writeNumber(i.intValue());
        } else if (value instanceof Long l) {
            g.writeNumber(l.longValue());
        } else if (value instanceof Double d) {
            g.writeNumber(d.doubleValue());
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Instant instant) {
            g.writeTag(EPOCH_TAG);
            // Whole seconds as an integer; otherwise milliseconds, the protocol's resolution.
            if (instant.getNano() == 0) {
                g.writeNumber(instant.getEpochSecond());
            } else {
                g.writeNumber(instant.toEpochMilli() / 1000.0);
            }
        } else {
            throw new IllegalArgumentException("cannot encode a " + value.getClass().getName());
        }
    }

    private static void writeMap(CBORGenerator g, Map<?, ?> map) throws IOException {
        g.writeStartObject(map, map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            g.writeFieldName((String) e.getKey());
            write(g, e.getValue());
        }
        g.writeEndObject();
    }

    private static AwsErrorException malformed(String detail) {
        return new AwsErrorException(400, "SerializationException", "Malformed CBOR request body: " + detail);
    }
}
