package io.ecsbluegreen.sim.sts;

/**
 * What GetCallerIdentity answers.
 *
 * @param account the 12-digit account id
 * @param arn the caller's ARN
 * @param userId the caller's unique id
 */
public record CallerIdentity(String account, String arn, String userId) {}
