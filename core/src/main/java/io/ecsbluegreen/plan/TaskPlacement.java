package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.model.CapacityProviderItem;
import io.ecsbluegreen.model.LaunchType;
import io.ecsbluegreen.model.NetworkConfiguration;
import java.util.List;

/**
 * Where the service's tasks run, for a task hook: its task runs in the same capacity and network as the
 * service (a migration reaches the same database, a smoke test the same load balancer).
 *
 * @param launchType the service's launch type; null for a capacity provider strategy or the cluster's default
 * @param capacityProviderStrategy the service's capacity provider strategy; empty for none
 * @param platformVersion the Fargate platform version; null for LATEST
 * @param network subnets, security groups and public IP of awsvpc tasks; null for other network modes
 */
public record TaskPlacement(LaunchType launchType, List<CapacityProviderItem> capacityProviderStrategy, String platformVersion,
                            NetworkConfiguration network) {

    public TaskPlacement {
        capacityProviderStrategy = capacityProviderStrategy == null ? List.of() : List.copyOf(capacityProviderStrategy);
    }

    /** Placed nowhere in particular: the cluster's default capacity, no network configuration. */
    public static final TaskPlacement DEFAULT = new TaskPlacement(null, List.of(), null, null);

    /** The placement of the service's task sets. */
    public static TaskPlacement of(BlueGreenServiceSpec spec) {
        return new TaskPlacement(spec.launchType(), spec.capacityProviderStrategy(), spec.platformVersion(), spec.networkConfiguration());
    }
}
