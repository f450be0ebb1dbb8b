package io.ecsbluegreen.sim.spi;

import java.time.Instant;
import java.util.List;

/**
 * Where a simulated service reports what AWS would send to EventBridge's default bus (a task stopped, an
 * alarm changed state, an object was put). The simulator routes them into an SQS queue when told to
 * ({@code docs/simulator.md#events}); otherwise they go nowhere. Implementations are thread-safe and
 * never block: services call them while holding their own locks.
 */
@FunctionalInterface
public interface ServiceEvents {

    /** Drops every event: a simulator that routes no events. */
    ServiceEvents NONE = event -> {};

    /** Reports one event. */
    void emit(Event event);

    /**
     * One event, before EventBridge wraps it in its envelope.
     *
     * @param source {@code aws.ecs}, {@code aws.cloudwatch}, {@code aws.s3}
     * @param detailType {@code ECS Task State Change}, {@code CloudWatch Alarm State Change}, {@code Object Created}, ...
     * @param region the resource's region
     * @param time when it happened, on the simulator's clock
     * @param resources the ARNs the event concerns
     * @param detailJson the {@code detail} object, as JSON
     */
    record Event(String source, String detailType, String region, Instant time, List<String> resources, String detailJson) {
        public Event {
            resources = List.copyOf(resources);
        }
    }
}
