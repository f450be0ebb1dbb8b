package io.ecsbluegreen.sim.protocol;

/**
 * The envelope of every Query-protocol answer (STS, ELBv2, CloudWatch):
 * {@code <ActionResponse xmlns=...><ActionResult>...</ActionResult><ResponseMetadata>...}.
 */
public final class QueryXml {

    private QueryXml() {}

    /** Opens {@code <ActionResponse><ActionResult>}; write the result's elements into the returned writer. */
    public static Xml result(String action, String namespace) {
        return Xml.document(action + "Response", namespace).start(action + "Result");
    }

    /** Closes the result opened by {@link #result}, adds the request id and returns the 200 response. */
    public static SimResponse finish(Xml result, String requestId) {
        result.end().start("ResponseMetadata").element("RequestId", requestId).end();
        return SimResponse.xml(200, Protocol.QUERY.contentType(), result.toString());
    }
}
