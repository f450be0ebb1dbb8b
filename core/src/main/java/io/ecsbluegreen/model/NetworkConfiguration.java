package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Default;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Required;
import io.ecsbluegreen.model.meta.Size;
import java.util.List;

/** The awsvpc network configuration of the task sets. */
@Doc("Subnets and security groups of awsvpc tasks.")
public record NetworkConfiguration(
        @Required @Size(min = 1, max = 16) @Pattern(value = Patterns.SUBNET, hint = Patterns.SUBNET_HINT)
        @Doc("Subnets the tasks run in (1 to 16).")
        List<String> subnets,

        @Size(max = 5) @Pattern(value = Patterns.SECURITY_GROUP, hint = Patterns.SECURITY_GROUP_HINT)
        @Doc("Security groups of the tasks (up to 5); the VPC's default group when empty.")
        List<String> securityGroups,

        @Default("DISABLED")
        @Doc("Whether the tasks get public IP addresses.")
        AssignPublicIp assignPublicIp) {}
