package io.ecsbluegreen.sim.protocol;

import java.util.Map;

/**
 * The AWS wire protocols the simulator serves. A protocol knows how AWS formats errors and request
 * ids in it, and which errors AWS answers when it throttles or fails, so that the core can answer
 * throttling and injected faults for any service in a form its SDK client parses.
 */
public enum Protocol {

    /** REST with XML bodies and a bare {@code <Error>} document: S3. */
    REST_XML("application/xml") {
        @Override
        public Map<String, String> requestIdHeaders(String requestId) {
            // S3 names the request id differently and adds an extended "host id"; the SDK reads both.
            return Map.of("x-amz-request-id", requestId, "x-amz-id-2", requestId);
        }

        @Override
        public SimResponse renderError(AwsErrorException error, String requestId, String xmlNamespace) {
            Xml xml = Xml.document("Error", null).element("Code", error.code()).element("Message", error.errorMessage());
            error.details().forEach(xml::element);
            xml.element("RequestId", requestId).element("HostId", requestId);
            return SimResponse.xml(error.status(), contentType(), xml.toString());
        }

        @Override
        public AwsErrorException throttlingError() {
            return new AwsErrorException(503, "SlowDown", "Please reduce your request rate.");
        }

        @Override
        public AwsErrorException serverError(int status) {
            return status == 503
                    ? new AwsErrorException(503, "ServiceUnavailable", "Service is unable to handle request.")
                    : new AwsErrorException(status, "InternalError", "We encountered an internal error. Please try again.");
        }
    },

    /** The Query protocol: form-encoded {@code Action=...} requests, XML responses: STS, ELBv2, CloudWatch. */
    QUERY("text/xml") {
        @Override
        public SimResponse renderError(AwsErrorException error, String requestId, String xmlNamespace) {
            Xml xml = Xml.document("ErrorResponse", xmlNamespace)
                    .start("Error")
                    .element("Type", error.senderFault() ? "Sender" : "Receiver")
                    .element("Code", error.code())
                    .element("Message", error.errorMessage())
                    .end()
                    .element("RequestId", requestId);
            return SimResponse.xml(error.status(), contentType(), xml.toString());
        }
    },

    /**
     * Smithy RPC v2 CBOR: CloudWatch for recent SDKs, beside {@link #QUERY}. A service that serves several
     * protocols answers each request in the protocol the request speaks (see {@link QueryCompatible}).
     */
    RPC_V2_CBOR(RpcV2Cbor.CONTENT_TYPE) {
        @Override
        public SimResponse renderError(AwsErrorException error, String requestId, String xmlNamespace) {
            return RpcV2Cbor.error(error, error.code(), false);
        }
    },

    /** JSON 1.1 RPC with {@code X-Amz-Target}: ECS. */
    JSON_1_1("application/x-amz-json-1.1") {
        @Override
        public SimResponse renderError(AwsErrorException error, String requestId, String xmlNamespace) {
            String body = Json.object().field("__type", error.code()).field("message", error.errorMessage()).build();
            return SimResponse.json(error.status(), contentType(), body).withHeader("x-amzn-ErrorType", error.code());
        }

        @Override
        public AwsErrorException throttlingError() {
            return new AwsErrorException(400, "ThrottlingException", "Rate exceeded");
        }
    },

    /** REST with JSON bodies: Lambda. */
    REST_JSON("application/json") {
        @Override
        public SimResponse renderError(AwsErrorException error, String requestId, String xmlNamespace) {
            String body = Json.object()
                    .field("Type", error.senderFault() ? "User" : "Service")
                    .field("message", error.errorMessage())
                    .build();
            return SimResponse.json(error.status(), contentType(), body).withHeader("x-amzn-ErrorType", error.code());
        }

        @Override
        public AwsErrorException throttlingError() {
            return new AwsErrorException(429, "TooManyRequestsException", "Rate exceeded");
        }
    };

    private final String contentType;

    Protocol(String contentType) {
        this.contentType = contentType;
    }

    /** The content type of this protocol's response documents. */
    public String contentType() {
        return contentType;
    }

    /** Renders an error the way AWS does in this protocol; {@code xmlNamespace} may be null. */
    public abstract SimResponse renderError(AwsErrorException error, String requestId, String xmlNamespace);

    /** The headers that carry the request id in this protocol's responses. */
    public Map<String, String> requestIdHeaders(String requestId) {
        return Map.of("x-amzn-RequestId", requestId);
    }


    /** The error AWS answers when a caller exceeds its request rate (Query services: {@code Throttling}). */
    public AwsErrorException throttlingError() {
        return new AwsErrorException(400, "Throttling", "Rate exceeded");
    }

    /** The error AWS answers when it fails internally with the given 5xx status. */
    public AwsErrorException serverError(int status) {
        return status == 503
                ? new AwsErrorException(503, "ServiceUnavailable", "Service is unavailable. Please try again later.")
                : new AwsErrorException(status, "InternalFailure", "The request processing has failed because of an unknown error.");
    }
}
