package io.ecsbluegreen.aws;

import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.model.ContainerHealthCheck;
import io.ecsbluegreen.model.ContainerSpec;
import io.ecsbluegreen.model.LaunchType;
import io.ecsbluegreen.model.PortMapping;
import io.ecsbluegreen.model.TaskDefinitionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecs.model.ApplicationProtocol;
import software.amazon.awssdk.services.ecs.model.CPUArchitecture;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.EphemeralStorage;
import software.amazon.awssdk.services.ecs.model.HealthCheck;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LogConfiguration;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.OSFamily;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RuntimePlatform;
import software.amazon.awssdk.services.ecs.model.Secret;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;

/** Turns an inline task definition spec into ECS's RegisterTaskDefinition request. Pure. */
public final class TaskDefinitions {
    private TaskDefinitions() {}

    public static RegisterTaskDefinitionRequest request(BlueGreenServiceSpec spec, Map<String, String> tags) {
        return request(spec, tags, false);
    }

    /**
     * @param clusterDefaultFargate whether the cluster's default capacity provider strategy is Fargate;
     *     it places the task sets when the spec names neither a launch type nor a strategy, and CreateTaskSet
     *     rejects a task definition that does not require FARGATE compatibility then
     */
    public static RegisterTaskDefinitionRequest request(BlueGreenServiceSpec spec, Map<String, String> tags,
                                                        boolean clusterDefaultFargate) {
        TaskDefinitionSpec td = spec.taskDefinition();
        if (!td.inline()) throw new IllegalArgumentException("task definition " + td.arn() + " is not inline");
        boolean fargate = spec.launchType() == LaunchType.FARGATE
                || spec.capacityProviderStrategy().stream().anyMatch(c -> isFargateProvider(c.capacityProvider()))
                || (usesClusterDefault(spec) && clusterDefaultFargate);
        RegisterTaskDefinitionRequest.Builder b = RegisterTaskDefinitionRequest.builder()
                .family(td.family())
                .networkMode(NetworkMode.fromValue(td.networkMode().wire()))
                .containerDefinitions(td.containers().stream().map(TaskDefinitions::container).toList())
                .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList());
        if (fargate) b.requiresCompatibilities(Compatibility.FARGATE);
        else if (spec.launchType() == LaunchType.EC2) b.requiresCompatibilities(Compatibility.EC2);
        if (td.cpu() != null) b.cpu(String.valueOf(td.cpu()));
        if (td.memory() != null) b.memory(String.valueOf(td.memory()));
        if (td.executionRoleArn() != null) b.executionRoleArn(td.executionRoleArn());
        if (td.taskRoleArn() != null) b.taskRoleArn(td.taskRoleArn());
        if (td.runtimePlatform() != null) {
            b.runtimePlatform(RuntimePlatform.builder()
                    .cpuArchitecture(CPUArchitecture.fromValue(td.runtimePlatform().cpuArchitecture().wire()))
                    .operatingSystemFamily(OSFamily.fromValue(td.runtimePlatform().operatingSystemFamily().wire()))
                    .build());
        }
        if (td.ephemeralStorageGiB() != null) b.ephemeralStorage(EphemeralStorage.builder().sizeInGiB(td.ephemeralStorageGiB()).build());
        return b.build();
    }

    /** Whether the task sets are placed by the cluster's default capacity provider strategy. */
    public static boolean usesClusterDefault(BlueGreenServiceSpec spec) {
        return spec.launchType() == null && spec.capacityProviderStrategy().isEmpty();
    }

    /** FARGATE and FARGATE_SPOT, the capacity providers AWS reserves for Fargate. */
    static boolean isFargateProvider(String provider) {
        return "FARGATE".equals(provider) || "FARGATE_SPOT".equals(provider);
    }

    private static ContainerDefinition container(ContainerSpec c) {
        ContainerDefinition.Builder b = ContainerDefinition.builder()
                .name(c.name())
                .image(c.image())
                .essential(c.essential())
                .readonlyRootFilesystem(c.readonlyRootFilesystem())
                .portMappings(c.portMappings().stream().map(TaskDefinitions::port).toList())
                // Sorted, so that the registered definition reads the same whatever the YAML order was.
                .environment(new TreeMap<>(c.environment()).entrySet().stream()
                        .map(e -> KeyValuePair.builder().name(e.getKey()).value(e.getValue()).build()).toList())
                .secrets(new TreeMap<>(c.secrets()).entrySet().stream()
                        .map(e -> Secret.builder().name(e.getKey()).valueFrom(e.getValue()).build()).toList());
        if (c.cpu() != null) b.cpu(c.cpu());
        if (c.memory() != null) b.memory(c.memory());
        if (c.memoryReservation() != null) b.memoryReservation(c.memoryReservation());
        if (!c.entryPoint().isEmpty()) b.entryPoint(c.entryPoint());
        if (!c.command().isEmpty()) b.command(c.command());
        if (c.stopTimeout() != null) b.stopTimeout((int) c.stopTimeout().toSeconds());
        if (c.healthCheck() != null) b.healthCheck(healthCheck(c.healthCheck()));
        if (c.logConfiguration() != null) {
            b.logConfiguration(LogConfiguration.builder()
                    .logDriver(LogDriver.fromValue(c.logConfiguration().logDriver().wire()))
                    .options(c.logConfiguration().options())
                    .secretOptions(new TreeMap<>(c.logConfiguration().secretOptions()).entrySet().stream()
                            .map(e -> Secret.builder().name(e.getKey()).valueFrom(e.getValue()).build()).toList())
                    .build());
        }
        return b.build();
    }

    private static software.amazon.awssdk.services.ecs.model.PortMapping port(PortMapping p) {
        var b = software.amazon.awssdk.services.ecs.model.PortMapping.builder()
                .containerPort(p.containerPort())
                .protocol(TransportProtocol.fromValue(p.protocol().wire()));
        if (p.hostPort() != null) b.hostPort(p.hostPort());
        if (p.name() != null) b.name(p.name());
        if (p.appProtocol() != null) b.appProtocol(ApplicationProtocol.fromValue(p.appProtocol().wire()));
        return b.build();
    }

    private static HealthCheck healthCheck(ContainerHealthCheck h) {
        List<String> command = new ArrayList<>(h.command());
        return HealthCheck.builder()
                .command(command)
                .interval((int) h.interval().toSeconds())
                .timeout((int) h.timeout().toSeconds())
                .retries(h.retries())
                .startPeriod((int) h.startPeriod().toSeconds())
                .build();
    }
}
