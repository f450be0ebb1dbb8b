package io.ecsbluegreen.spec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Compiled model patterns, cached: they are matched for every field of every file on every poll. */
final class Regexes {
    private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

    private Regexes() {}

    static boolean matches(String regex, String text) {
        return CACHE.computeIfAbsent(regex, Pattern::compile).matcher(text).matches();
    }
}
