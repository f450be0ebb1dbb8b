package io.ecsbluegreen.sim.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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

    /**
     * Renders an operation's output: lists as {@code <member>} elements, maps as {@code <entry>} elements
     * with {@code <key>} and {@code <value>}, timestamps in ISO 8601. A null {@code output} (an operation
     * without output) answers {@code <ActionResponse>} with only the {@code <ResponseMetadata>}, as AWS does.
     */
    public static SimResponse response(String action, String namespace, Struct output, String requestId) {
        if (output == null) {
            Xml xml = Xml.document(action + "Response", namespace).start("ResponseMetadata")
                    .element("RequestId", requestId).end();
            return SimResponse.xml(200, Protocol.QUERY.contentType(), xml.toString());
        }
        Xml xml = result(action, namespace);
        writeMembers(xml, output);
        return finish(xml, requestId);
    }

    private static void writeMembers(Xml xml, Struct struct) {
        struct.members().forEach((name, value) -> write(xml, name, value));
    }

    private static void write(Xml xml, String name, Object value) {
        if (value instanceof Struct struct) {
            xml.start(name);
            writeMembers(xml, struct);
            xml.end();
        } else if (value instanceof List<?> list) {
            xml.start(name);
            list.forEach(item -> write(xml, "member", item));
            xml.end();
        } else if (value instanceof Map<?, ?> map) {
            xml.start(name);
            map.forEach((key, item) -> {
                xml.start("entry").element("key", key);
                write(xml, "value", item);
                xml.end();
            });
            xml.end();
        } else if (value instanceof Instant instant) {
            xml.element(name, AwsDates.iso8601(instant));
        } else {
            xml.element(name, value);
        }
    }
}
