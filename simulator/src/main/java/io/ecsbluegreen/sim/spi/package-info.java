/**
 * The seams between the simulated services: ECS tasks enter ELBv2 target groups through
 * {@link io.ecsbluegreen.sim.spi.TargetGroups}; CloudWatch reads the load balancers' traffic through
 * {@link io.ecsbluegreen.sim.spi.LoadBalancerMetrics}; how a simulated image behaves (healthy, never
 * healthy, slow, crashing, erroring) comes from {@link io.ecsbluegreen.sim.spi.ImageBehaviours}.
 * Each service depends only on these interfaces, never on another service's classes.
 */
package io.ecsbluegreen.sim.spi;
