package io.ecsbluegreen.sim.protocol;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A minimal streaming XML writer for response documents. AWS responses are small, flat and
 * namespace-light, so a string builder with escaping is all the simulator needs.
 */
public final class Xml {

    private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

    private final StringBuilder out = new StringBuilder(256);
    private final Deque<String> open = new ArrayDeque<>();

    private Xml() {}

    /** Starts a document whose root element carries {@code xmlns} when {@code namespace} is non-null. */
    public static Xml document(String root, String namespace) {
        Xml xml = new Xml();
        xml.out.append(DECLARATION);
        xml.out.append('<').append(root);
        if (namespace != null) {
            xml.out.append(" xmlns=\"").append(escape(namespace)).append('"');
        }
        xml.out.append('>');
        xml.open.push(root);
        return xml;
    }

    /** Opens a child element; close it with {@link #end()}. */
    public Xml start(String name) {
        out.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    /** Closes the most recently opened element. */
    public Xml end() {
        out.append("</").append(open.pop()).append('>');
        return this;
    }

    /** Writes {@code <name>value</name>}; writes nothing when {@code value} is null. */
    public Xml element(String name, Object value) {
        if (value != null) {
            out.append('<').append(name).append('>').append(escape(value.toString())).append("</")
                    .append(name).append('>');
        }
        return this;
    }

    /** Closes every open element and returns the document. */
    @Override
    public String toString() {
        while (!open.isEmpty()) {
            end();
        }
        return out.toString();
    }

    /**
     * Escapes text for element content and double-quoted attributes. Quotes are escaped as S3 does in
     * ETags ({@code &quot;...&quot;}); carriage returns as a reference, or XML parsers would drop them.
     */
    public static String escape(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\r' -> "&#13;";
                default -> null;
            };
            if (rep != null) {
                if (sb == null) {
                    sb = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                sb.append(rep);
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? text : sb.toString();
    }
}
