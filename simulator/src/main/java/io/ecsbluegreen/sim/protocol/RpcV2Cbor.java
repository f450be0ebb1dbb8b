package io.ecsbluegreen.sim.protocol;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.time.Instant;
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

    private static final CBORFactory FACTORY = new CBORFactory();
    // Only the last four segments route; a prefix such as /v1 is allowed.
    private static final Pattern PATH = Pattern.compile("(?:/.*)?/service/([^/]+)/operation/([^/]+)");

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
     * Decodes an input structure (see {@link Documents#read}); tag-1 numbers become {@link Instant}s.
     *
     * @throws AwsErrorException {@code SerializationException} when the body is not one CBOR map
     */
    public static Map<String, Object> decode(byte[] body) {
        return Documents.read(FACTORY, body, "CBOR");
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
        SimResponse response = new SimResponse(error.status(),
                Map.of(PROTOCOL_HEADER, PROTOCOL, "Content-Type", CONTENT_TYPE), encode(Documents.error(error, shapeId)));
        return queryCompatible ? Documents.withQueryError(response, error) : response;
    }

    /** Encodes a structure as a CBOR map with definite lengths; timestamps carry tag 1. */
    public static byte[] encode(Struct struct) {
        return Documents.write(FACTORY, struct);
    }
}
