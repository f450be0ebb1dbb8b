package io.ecsbluegreen.sim.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS JSON 1.0 protocol ({@code aws.protocols#awsJson1_0}), which the AWS CLI v1 prefers for
 * CloudWatch: {@code POST /} with {@code X-Amz-Target: PREFIX.Operation}, {@code Content-Type:
 * application/x-amz-json-1.0} and the input as a JSON object; the output comes back as one, errors as an
 * object with {@code __type} and {@code message}. Timestamps are epoch seconds.
 */
public final class AwsJson10 {

    public static final String CONTENT_TYPE = "application/x-amz-json-1.0";

    private static final JsonFactory FACTORY = new JsonFactory();

    private AwsJson10() {}

    /** The operation {@code X-Amz-Target} names under {@code targetPrefix}; empty for any other request. */
    public static Optional<String> operation(SimRequest request, String targetPrefix) {
        String target = request.header("X-Amz-Target");
        if (target == null || !target.startsWith(targetPrefix + ".")) {
            return Optional.empty();
        }
        return Optional.of(target.substring(targetPrefix.length() + 1));
    }

    /**
     * Decodes an input structure (see {@link Documents#read}); timestamps stay epoch-second numbers.
     *
     * @throws AwsErrorException {@code SerializationException} when the body is not one JSON object
     */
    public static Map<String, Object> decode(byte[] body) {
        return Documents.read(FACTORY, body, "JSON");
    }

    /** A 200 answer with the operation's output; an operation without output answers {@code {}}. */
    public static SimResponse response(Struct output) {
        return new SimResponse(200, Map.of("Content-Type", CONTENT_TYPE),
                Documents.write(FACTORY, output == null ? Struct.of() : output));
    }

    /**
     * An error answer: {@code {"__type": shapeId, "message": ...}} with the error's status.
     *
     * @param shapeId the error's absolute shape id ({@code com.amazonaws.cloudwatch#ResourceNotFound})
     * @param queryCompatible whether the service carries {@code awsQueryCompatible}: then the Query error
     *     code and fault go in {@code x-amzn-query-error}, where clients take the error code from
     */
    public static SimResponse error(AwsErrorException error, String shapeId, boolean queryCompatible) {
        SimResponse response = new SimResponse(error.status(), Map.of("Content-Type", CONTENT_TYPE),
                Documents.write(FACTORY, Documents.error(error, shapeId)));
        return queryCompatible ? Documents.withQueryError(response, error) : response;
    }
}
