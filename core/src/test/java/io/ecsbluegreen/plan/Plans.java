package io.ecsbluegreen.plan;

/** Shorthands for the planner tables. */
final class Plans {
    static final String OWNER_TAG = Tags.OWNER;

    private Plans() {}
}
