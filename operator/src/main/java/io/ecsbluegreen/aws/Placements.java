package io.ecsbluegreen.aws;

import io.ecsbluegreen.plan.TaskPlacement;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.CreateTaskSetRequest;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;

/**
 * A service's placement (launch type or capacity providers, platform version, awsvpc network) as the ECS
 * SDK takes it: task sets and task hooks run in the same place, so both requests are built here.
 */
final class Placements {
    private Placements() {}

    static void apply(TaskPlacement p, CreateTaskSetRequest.Builder b) {
        apply(p, b::launchType, b::capacityProviderStrategy, b::platformVersion, b::networkConfiguration);
    }

    static void apply(TaskPlacement p, RunTaskRequest.Builder b) {
        apply(p, b::launchType, b::capacityProviderStrategy, b::platformVersion, b::networkConfiguration);
    }

    private static void apply(TaskPlacement p, Consumer<LaunchType> launchType, Consumer<List<CapacityProviderStrategyItem>> providers,
                              Consumer<String> platformVersion, Consumer<NetworkConfiguration> network) {
        if (p.launchType() != null) launchType.accept(LaunchType.fromValue(p.launchType().wire()));
        if (!p.capacityProviderStrategy().isEmpty()) providers.accept(capacityProviders(p));
        if (p.platformVersion() != null) platformVersion.accept(p.platformVersion());
        if (p.network() != null) network.accept(network(p));
    }

    private static List<CapacityProviderStrategyItem> capacityProviders(TaskPlacement p) {
        return p.capacityProviderStrategy().stream().map(c -> CapacityProviderStrategyItem.builder()
                .capacityProvider(c.capacityProvider()).weight(c.weight()).base(c.base()).build()).toList();
    }

    private static NetworkConfiguration network(TaskPlacement p) {
        var n = p.network();
        return NetworkConfiguration.builder().awsvpcConfiguration(AwsVpcConfiguration.builder()
                .subnets(n.subnets()).securityGroups(n.securityGroups())
                .assignPublicIp(AssignPublicIp.fromValue(n.assignPublicIp().wire())).build()).build();
    }
}
