package io.ecsbluegreen.sim.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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

/**
 * The bodies of the JSON 1.0 and RPC v2 CBOR protocols, which differ only in encoding: both are one map,
 * read and written here with Jackson's streaming API for either format. Timestamps are epoch seconds,
 * which CBOR marks with tag 1.
 */
final class Documents {

    private static final int EPOCH_TAG = 1;
    private static final int MAX_DEPTH = 64;

    private Documents() {}

    /**
     * Reads an input structure: maps become {@code Map<String, Object>} in wire order, arrays lists,
     * CBOR tag-1 numbers {@link Instant}s, other numbers {@link Integer}, {@link Long},
     * {@link java.math.BigInteger} or {@link Double}, CBOR byte strings {@code byte[]}. An empty body is
     * an empty structure.
     *
     * @throws AwsErrorException {@code SerializationException} when the body is not one map
     */
    static Map<String, Object> read(JsonFactory factory, byte[] body, String format) {
        if (body.length == 0) {
            return Map.of();
        }
        try (JsonParser parser = factory.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed(format, "the body is not a map");
            }
            Map<String, Object> input = readMap(parser, 0, format);
            if (parser.nextToken() != null) {
                throw malformed(format, "the body has data after its map");
            }
            return input;
        } catch (JsonProcessingException e) {
            throw malformed(format, e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object read(JsonParser parser, int depth, String format) throws IOException {
        if (depth > MAX_DEPTH) {
            throw malformed(format, "the body nests deeper than " + MAX_DEPTH + " levels");
        }
        JsonToken token = parser.currentToken();
        if (token == null) {
            throw malformed(format, "the body ends in the middle of a value");
        }
        boolean epoch = parser instanceof CBORParser cbor && cbor.getCurrentTag() == EPOCH_TAG;
        return switch (token) {
            case START_OBJECT -> readMap(parser, depth, format);
            case START_ARRAY -> readList(parser, depth, format);
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> epoch ? Instant.ofEpochSecond(parser.getLongValue()) : parser.getNumberValue();
            // Half and single precision widen to double: the model's floating types are doubles.
            case VALUE_NUMBER_FLOAT -> epoch ? Instant.ofEpochMilli(Math.round(parser.getDoubleValue() * 1000))
                    : (Object) parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_EMBEDDED_OBJECT -> parser.getBinaryValue();
            case VALUE_NULL -> null;
            default -> throw malformed(format, "unexpected " + token);
        };
    }

    private static Map<String, Object> readMap(JsonParser parser, int depth, String format) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        // Every turn consumes tokens, so the loop ends with the body at the latest.
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            if (t != JsonToken.FIELD_NAME) {
                throw malformed(format, "the body ends in the middle of a map");
            }
            String name = parser.currentName();
            parser.nextToken();
            map.put(name, read(parser, depth + 1, format));
        }
        return map;
    }

    private static List<Object> readList(JsonParser parser, int depth, String format) throws IOException {
        List<Object> list = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            list.add(read(parser, depth + 1, format));
        }
        return list;
    }

    private static AwsErrorException malformed(String format, String detail) {
        return new AwsErrorException(400, "SerializationException", "Malformed " + format + " request body: " + detail);
    }

    /** An error's body in both protocols: {@code {"__type": shapeId, "message": ...}}. */
    static Struct error(AwsErrorException error, String shapeId) {
        return Struct.of().put("__type", shapeId).put("message", error.errorMessage());
    }

    /**
     * Adds {@code x-amzn-query-error: CODE;Sender} (or {@code Receiver}): services that moved from the
     * Query protocol ({@code awsQueryCompatible}) name their errors' Query codes there, and clients take
     * the error code from it.
     */
    static SimResponse withQueryError(SimResponse response, AwsErrorException error) {
        return response.withHeader("x-amzn-query-error", error.code() + ";" + (error.senderFault() ? "Sender" : "Receiver"));
    }

    /**
     * An input as Query-protocol parameters ({@code Dimensions.member.1.Name}), for services that AWS
     * serves in several protocols and that read their input in the Query form: structure members join
     * with a dot, list items are {@code .member.N} (an empty list is the bare name with an empty value, as
     * the SDKs send it), timestamps ISO 8601, blobs base64, numbers and booleans their decimal text (JSON
     * timestamps, plain numbers, stay epoch seconds). Without the model, every map reads as a structure.
     */
    static Map<String, List<String>> queryParams(Map<String, Object> input) {
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

    /** Writes a structure as one map with definite lengths (CBOR) in the factory's format. */
    static byte[] write(JsonFactory factory, Struct struct) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = factory.createGenerator(out)) {
            write(generator, struct);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
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
            if (g instanceof CBORGenerator cbor) {
                cbor.writeTag(EPOCH_TAG);
            }
            // Whole seconds as an integer; otherwise milliseconds, the protocols' resolution.
            if (instant.getNano() == 0) {
                g.writeNumber(instant.getEpochSecond());
            } else {
                g.writeNumber(instant.toEpochMilli() / 1000.0);
            }
        } else {
            throw new IllegalArgumentException("cannot encode a " + value.getClass().getName());
        }
    }

    private static void writeMap(JsonGenerator g, Map<?, ?> map) throws IOException {
        g.writeStartObject(map, map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            g.writeFieldName((String) e.getKey());
            write(g, e.getValue());
        }
        g.writeEndObject();
    }
}
