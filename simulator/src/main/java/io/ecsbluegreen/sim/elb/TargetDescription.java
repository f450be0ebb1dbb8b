package io.ecsbluegreen.sim.elb;

/**
 * A target as RegisterTargets, DeregisterTargets and DescribeTargetHealth name it.
 *
 * @param id an IP address (ip target groups) or an instance id (instance target groups)
 * @param port the port, or null for the target group's
 * @param availabilityZone accepted and ignored
 */
record TargetDescription(String id, Integer port, String availabilityZone) {}
