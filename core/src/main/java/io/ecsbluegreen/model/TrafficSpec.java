package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Range;
import io.ecsbluegreen.model.meta.Required;

/**
 * How the load balancer reaches the tasks. The operator alternates the two target groups between
 * rollouts: the one that serves production is "blue", the idle one receives the next revision.
 */
@Doc("The load balancer side: the container that receives traffic, the two target groups and the listeners.")
public record TrafficSpec(
        @Required @Pattern(value = Patterns.ECS_NAME, hint = Patterns.ECS_NAME_HINT)
        @Doc("Container registered in the target groups.")
        String containerName,

        @Required @Range(min = 1, max = 65535)
        @Doc("Container port registered in the target groups.")
        Integer containerPort,

        @Required @Pattern(value = Patterns.TARGET_GROUP, hint = Patterns.TARGET_GROUP_HINT)
        @Doc("Target group of the first task set (ARN or name).")
        String blueTargetGroup,

        @Required @Pattern(value = Patterns.TARGET_GROUP, hint = Patterns.TARGET_GROUP_HINT)
        @Doc("The other target group, used by the next revision (ARN or name).")
        String greenTargetGroup,

        @Required
        @Doc("Where production traffic arrives: a listener's default action, or a listener rule.")
        ListenerRef production,

        @Doc("Where test traffic arrives; it reaches green before production does. No test stage when absent.")
        ListenerRef test) {}
