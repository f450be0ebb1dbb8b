package io.ecsbluegreen.sim.protocol;

import java.util.Set;

/** The {@code Action} parameter of a Query-protocol request, checked as AWS's Query services check it. */
public final class QueryActions {
    private QueryActions() {}

    /**
     * The request's action if {@code supported} has it.
     *
     * @throws AwsErrorException {@code MissingAction} or {@code InvalidAction}, as AWS answers
     */
    public static String resolve(SimRequest request, Set<String> supported, String version) {
        String action = request.param("Action");
        if (action == null) {
            throw new AwsErrorException(400, "MissingAction", "Missing Action");
        }
        if (!supported.contains(action)) {
            throw new AwsErrorException(400, "InvalidAction", "Could not find operation " + action + " for version " + version);
        }
        return action;
    }
}
