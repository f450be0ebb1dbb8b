package io.ecsbluegreen.sim.protocol;

/**
 * A minimal JSON writer: enough for error bodies and the control surface, without pulling a JSON
 * library into the simulator's core. Services that need to parse JSON bring their own parser.
 */
public final class Json {

    private final StringBuilder out = new StringBuilder(64).append('{');
    private boolean first = true;

    private Json() {}

    /** Starts an object. */
    public static Json object() {
        return new Json();
    }

    /** Adds a string field; skipped when {@code value} is null. */
    public Json field(String name, String value) {
        return value == null ? this : raw(name, quote(value));
    }

    /** Adds a number field. */
    public Json field(String name, long value) {
        return raw(name, Long.toString(value));
    }

    /** Adds a boolean field. */
    public Json field(String name, boolean value) {
        return raw(name, Boolean.toString(value));
    }

    /** Adds a field whose value is already JSON (a nested object built by another {@code Json}). */
    public Json raw(String name, String json) {
        if (!first) {
            out.append(',');
        }
        first = false;
        out.append(quote(name)).append(':').append(json);
        return this;
    }

    /** The finished object. */
    public String build() {
        return out + "}";
    }

    @Override
    public String toString() {
        return build();
    }

    /** A JSON string literal for {@code text}, with quotes. */
    public static String quote(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
