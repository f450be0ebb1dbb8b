package io.ecsbluegreen.sim.sts;

import java.time.Instant;

/**
 * Temporary credentials the simulated STS issued through AssumeRole.
 *
 * @param accessKeyId the temporary access key id, {@code ASIA...}
 * @param secretAccessKey the secret key
 * @param sessionToken the session token
 * @param expiration when the credentials expire, by the simulator clock
 * @param roleArn the role that was assumed
 * @param roleSessionName the session name the caller chose
 * @param assumedRoleId {@code AROA...:sessionName}
 * @param assumedRoleArn {@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION}
 */
public record AssumedRoleSession(
        String accessKeyId,
        String secretAccessKey,
        String sessionToken,
        Instant expiration,
        String roleArn,
        String roleSessionName,
        String assumedRoleId,
        String assumedRoleArn) {}
