package io.ecsbluegreen.notify;

import io.ecsbluegreen.events.Event;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which events a receiver gets: by type (all when none are named) and by service name or glob pattern
 * ({@code *} any run of characters, {@code ?} one character; all services when none are named).
 */
public final class EventFilter {

    private final Set<Event.Type> types;
    private final List<String> patterns;
    private final List<Pattern> compiled;

    private EventFilter(Set<Event.Type> types, List<String> patterns) {
        this.types = types;
        this.patterns = List.copyOf(patterns);
        this.compiled = patterns.stream().map(EventFilter::glob).collect(Collectors.toList());
    }

    /** Every event. */
    public static EventFilter all() {
        return new EventFilter(EnumSet.allOf(Event.Type.class), List.of());
    }

    /**
     * A filter from configured names.
     *
     * @param typeNames names of {@link Event.Type}; empty for all
     * @param servicePatterns names or globs; empty for all
     * @throws IllegalArgumentException for an unknown type name or a blank pattern
     */
    public static EventFilter of(Collection<String> typeNames, Collection<String> servicePatterns) {
        Set<Event.Type> types = typeNames.isEmpty() ? EnumSet.allOf(Event.Type.class) : EnumSet.noneOf(Event.Type.class);
        for (String name : typeNames) {
            types.add(type(name.trim()));
        }
        List<String> patterns = new ArrayList<>();
        for (String p : servicePatterns) {
            if (p.isBlank()) throw new IllegalArgumentException("a service pattern is blank");
            patterns.add(p.trim());
        }
        return new EventFilter(types, patterns);
    }

    private static Event.Type type(String name) {
        for (Event.Type t : Event.Type.values()) {
            if (t.name().equals(name)) return t;
        }
        for (Event.Type t : Event.Type.values()) {
            if (t.name().equalsIgnoreCase(name)) {
                throw new IllegalArgumentException("unknown event type " + name + " (did you mean " + t.name() + "?)");
            }
        }
        throw new IllegalArgumentException("unknown event type " + name + "; the types are "
                + Arrays.stream(Event.Type.values()).map(Enum::name).collect(Collectors.joining(", ")));
    }

    /** Whether the receiver gets {@code event}. */
    public boolean matches(Event event) {
        if (!types.contains(event.type())) return false;
        if (compiled.isEmpty()) return true;
        String service = event.service() == null ? "" : event.service();
        for (Pattern p : compiled) {
            if (p.matcher(service).matches()) return true;
        }
        return false;
    }

    /** The types let through. */
    public Set<Event.Type> types() {
        return EnumSet.copyOf(types);
    }

    /** The service patterns; empty for all services. */
    public List<String> servicePatterns() {
        return patterns;
    }

    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder(glob.length() + 8);
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) regex.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) regex.append(Pattern.quote(literal.toString()));
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    @Override
    public String toString() {
        return (types.size() == Event.Type.values().length ? "all events" : types.toString())
                + (patterns.isEmpty() ? " of all services" : " of " + patterns);
    }
}
