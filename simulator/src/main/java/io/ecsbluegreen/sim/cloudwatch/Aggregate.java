package io.ecsbluegreen.sim.cloudwatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The datapoints of one period, reduced to the statistics CloudWatch answers. */
final class Aggregate {

    private double sampleCount;
    private double sum;
    private double minimum = Double.POSITIVE_INFINITY;
    private double maximum = Double.NEGATIVE_INFINITY;
    private final List<double[]> weighted = new ArrayList<>();
    private boolean rawValuesOnly = true;
    private String unit;

    void add(Datapoint point) {
        sampleCount += point.sampleCount();
        sum += point.sum();
        minimum = Math.min(minimum, point.minimum());
        maximum = Math.max(maximum, point.maximum());
        if (point.values() == null) {
            rawValuesOnly = false;
        } else {
            for (int i = 0; i < point.values().length; i++) {
                weighted.add(new double[] {point.values()[i], point.counts()[i]});
            }
        }
        if (unit == null) {
            unit = point.unit();
        }
    }

    boolean isEmpty() {
        return sampleCount <= 0;
    }

    String unit() {
        return unit;
    }

    /** The statistic's value, or null when it cannot be computed (a percentile over statistic sets). */
    Double value(Statistic statistic) {
        if (isEmpty()) {
            return null;
        }
        if (statistic.isPercentile()) {
            return rawValuesOnly ? percentile(statistic.percentile()) : null;
        }
        return switch (statistic.name()) {
            case Statistic.SUM -> sum;
            case Statistic.AVERAGE -> sum / sampleCount;
            case Statistic.MINIMUM -> minimum;
            case Statistic.MAXIMUM -> maximum;
            case Statistic.SAMPLE_COUNT -> sampleCount;
            default -> null;
        };
    }

    /** Nearest-rank percentile over the raw values, weighted by their counts. */
    private double percentile(double p) {
        weighted.sort(Comparator.comparingDouble(v -> v[0]));
        double total = 0;
        for (double[] v : weighted) {
            total += v[1];
        }
        double rank = Math.max(Math.ceil(p / 100.0 * total), 1);
        double seen = 0;
        for (double[] v : weighted) {
            seen += v[1];
            if (seen >= rank) {
                return v[0];
            }
        }
        return weighted.get(weighted.size() - 1)[0];
    }
}
