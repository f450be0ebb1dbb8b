package io.ecsbluegreen.text;

/**
 * Makes untrusted text safe to echo to a terminal or a log line: control characters (BEL, ESC, CR, LF,
 * DEL, C1 controls, and the bidirectional overrides that reorder what a reader sees) become visible
 * escapes, so a hostile file name or header value can neither move the cursor, recolour the screen, nor
 * forge a second log line.
 */
public final class Escapes {
    private Escapes() {}

    /** {@code text} with every control or bidi-override character written as {@code \xNN} or {@code \}{@code uNNNN}. */
    public static String printable(String text) {
        if (text == null) return null;
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = Character.isISOControl(c) || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
            if (!unsafe) {
                if (out != null) out.append(c);
                continue;
            }
            if (out == null) out = new StringBuilder(text.length() + 8).append(text, 0, i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c <= 0xFF ? String.format("\\x%02X", (int) c) : String.format("\\u%04X", (int) c));
            }
        }
        return out == null ? text : out.toString();
    }
}
