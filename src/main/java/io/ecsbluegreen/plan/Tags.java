package io.ecsbluegreen.plan;

/**
 * The AWS tags through which the operator remembers, in AWS itself, everything a rollout needs after a
 * restart. Keys live under {@code ecsbluegreen.io/}, which users may not use in their own tags.
 */
public final class Tags {
    private Tags() {}

    public static final String PREFIX = "ecsbluegreen.io/";

    /** On the service, listeners, rules and target groups: the owning BlueGreenService's name. */
    public static final String OWNER = PREFIX + "owner";
    /** On task sets and registered task definitions: the revision they run. */
    public static final String REVISION = PREFIX + "revision";
    /** On the green task set: {@code STEP@EPOCH_SECONDS}, the traffic step in force and when it began. */
    public static final String STEP = PREFIX + "step";
    /** On a task set that stopped being primary: when (epoch seconds), for the blue retention window. */
    public static final String RETIRED_AT = PREFIX + "retired-at";
    /** On the service: the revision that failed or was aborted; not retried until the spec changes or retry. */
    public static final String FAILED_REVISION = PREFIX + "failed-revision";
    /** On the service: why {@link #FAILED_REVISION} failed (bounded to 256 characters, AWS's limit). */
    public static final String FAILED_REASON = PREFIX + "failed-reason";
    /** On the service: the revision a person promoted (manual promotion). */
    public static final String PROMOTED_REVISION = PREFIX + "promoted-revision";

    /**
     * On the green task set: lifecycle-hook progress {@code P.K}: every hook of the points before point
     * {@code P} (1 = afterInstall ... 4 = afterAllowTraffic) succeeded, and the first {@code K} of point P.
     */
    public static final String HOOKS = PREFIX + "hooks";
    /** On the service: {@code REVISION:K}, the beforeInstall hooks of a revision that succeeded (green does not exist yet). */
    public static final String BEFORE_INSTALL = PREFIX + "before-install";

    /** AWS's limit on a tag value. */
    public static final int MAX_VALUE_LENGTH = 256;

    /** {@code value} cut to fit a tag. */
    public static String fit(String value) {
        return value.length() <= MAX_VALUE_LENGTH ? value : value.substring(0, MAX_VALUE_LENGTH - 1) + "…";
    }
}
