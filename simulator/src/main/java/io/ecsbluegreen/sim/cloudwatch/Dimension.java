package io.ecsbluegreen.sim.cloudwatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** A CloudWatch dimension: a name/value pair that is part of a metric's identity. */
public record Dimension(String name, String value) {

    static final Comparator<Dimension> ORDER = Comparator.comparing(Dimension::name).thenComparing(Dimension::value);

    /** Dimensions from a map, sorted by name: the form metric identities compare in. */
    public static List<Dimension> of(Map<String, String> dimensions) {
        List<Dimension> list = new ArrayList<>();
        dimensions.forEach((name, value) -> list.add(new Dimension(name, value)));
        return sorted(list);
    }

    static List<Dimension> sorted(List<Dimension> dimensions) {
        List<Dimension> copy = new ArrayList<>(dimensions);
        copy.sort(ORDER);
        return List.copyOf(copy);
    }
}
