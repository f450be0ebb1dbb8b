package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.BlueGreenServiceSpec;

/**
 * The planner's view of a valid spec, with names resolved to ARNs by the observer.
 *
 * @param name the BlueGreenService's name (the owner tag value)
 * @param blueTargetGroupArn the spec's {@code blueTargetGroup}, resolved
 * @param greenTargetGroupArn the spec's {@code greenTargetGroup}, resolved
 */
public record Desired(String name, BlueGreenServiceSpec spec, Revision revision, String blueTargetGroupArn,
                      String greenTargetGroupArn) {}
