package io.ecsbluegreen.sim.protocol;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Percent-encoding helpers shared by the REST and Query protocols. */
public final class Encoding {

    private Encoding() {}

    /**
     * Decodes {@code %XX} escapes in a URI path. Unlike {@link java.net.URLDecoder}, a {@code +} stays
     * a plus sign: in paths (S3 keys) it is a literal character, not a space.
     */
    public static String decodePath(String raw) {
        return decode(raw, false);
    }

    /** Decodes an {@code application/x-www-form-urlencoded} component, where {@code +} means space. */
    public static String decodeForm(String raw) {
        return decode(raw, true);
    }

    /**
     * Parses a query string or a form body into names and their values, in order. A name without
     * {@code =} (an S3 sub-resource such as {@code ?acl}) maps to an empty string.
     */
    public static Map<String, List<String>> parseForm(String raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decodeForm(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decodeForm(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        return params;
    }

    /**
     * Encodes text the way S3 does for {@code encoding-type=url} listings: form encoding, but with
     * {@code /} left alone so that keys stay readable. SDKs decode it with a form decoder.
     */
    public static String encodeS3Url(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    private static String decode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && hex(raw.charAt(i + 1)) >= 0 && hex(raw.charAt(i + 2)) >= 0) {
                out.write(hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2)));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                // Copy the character's UTF-8 bytes; a lone '%' that is not an escape stays literal.
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
                    bytes = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.writeBytes(bytes);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
