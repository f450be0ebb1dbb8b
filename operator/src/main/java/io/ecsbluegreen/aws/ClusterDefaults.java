package io.ecsbluegreen.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Cluster;

/**
 * The default capacity provider strategy of clusters (DescribeClusters), cached: it is what a task set
 * without a launch type or strategy of its own runs with, and it changes rarely, so it is read again
 * only every {@link #REFRESH}.
 */
public final class ClusterDefaults {
    /** How long a cluster's default strategy is trusted before it is read again. */
    static final Duration REFRESH = Duration.ofMinutes(10);

    private record Entry(List<String> providers, Instant readAt) {}

    private final EcsClient ecs;
    private final Clock clock;
    private final Map<String, Entry> byCluster = new ConcurrentHashMap<>();

    public ClusterDefaults(EcsClient ecs, Clock clock) {
        this.ecs = ecs;
        this.clock = clock;
    }

    /** The capacity providers of the cluster's default strategy; empty when it has none (ECS then uses EC2). */
    public List<String> providers(String cluster) {
        Instant now = clock.instant();
        Entry e = byCluster.get(cluster);
        if (e == null || !now.isBefore(e.readAt().plus(REFRESH))) {
            List<Cluster> found = ecs.describeClusters(r -> r.clusters(cluster)).clusters();
            List<String> providers = found.isEmpty() ? List.of() : found.get(0).defaultCapacityProviderStrategy().stream()
                    .map(CapacityProviderStrategyItem::capacityProvider).toList();
            e = new Entry(providers, now);
            byCluster.put(cluster, e);
        }
        return e.providers();
    }

    /** Whether a task set placed by the cluster's default strategy runs on Fargate (FARGATE or FARGATE_SPOT). */
    public boolean fargate(String cluster) {
        return providers(cluster).stream().anyMatch(TaskDefinitions::isFargateProvider);
    }
}
