package io.ecsbluegreen.awsevents;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event consumer's metrics:
 *
 * <ul>
 *   <li>{@code bluegreen_aws_events_total{outcome}}: events received, by outcome: {@code woke} (services or
 *       sources queued), {@code unmatched} (about nothing declared), {@code unknown} (a source or type the
 *       operator does not handle), {@code malformed} (not an EventBridge event); all are deleted;</li>
 *   <li>{@code bluegreen_aws_events_receive_failures_total}: failed receives (polling falls back to its normal interval);</li>
 *   <li>{@code bluegreen_aws_events_delete_failures_total}: messages not deleted (they come back, one more wake);</li>
 *   <li>{@code bluegreen_aws_events_flowing}: 1 while receives succeed, else 0.</li>
 * </ul>
 */
public final class AwsEventMetrics {
    static final String[] OUTCOMES = {"woke", "unmatched", "unknown", "malformed"};

    private final MeterRegistry registry;
    private final AtomicInteger flowing = new AtomicInteger();

    public AwsEventMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String outcome : OUTCOMES) events(outcome);
        Gauge.builder("bluegreen.aws.events.flowing", flowing, AtomicInteger::get)
                .description("1 while receives from the events queue succeed, else 0").register(registry);
        receiveFailures();
        deleteFailures();
    }

    void event(String outcome) {
        events(outcome).increment();
    }

    /** Events counted with {@code outcome} so far. */
    public double count(String outcome) {
        return events(outcome).count();
    }

    void receiveFailed() {
        receiveFailures().increment();
    }

    void deleteFailed(int messages) {
        deleteFailures().increment(messages);
    }

    void flowing(boolean now) {
        flowing.set(now ? 1 : 0);
    }

    private Counter events(String outcome) {
        return Counter.builder("bluegreen.aws.events").description("AWS events received from the events queue, by outcome")
                .tag("outcome", outcome).register(registry);
    }

    private Counter receiveFailures() {
        return Counter.builder("bluegreen.aws.events.receive.failures").description("Failed receives from the events queue")
                .register(registry);
    }

    private Counter deleteFailures() {
        return Counter.builder("bluegreen.aws.events.delete.failures").description("Event messages not deleted (redelivered later)")
                .register(registry);
    }
}
