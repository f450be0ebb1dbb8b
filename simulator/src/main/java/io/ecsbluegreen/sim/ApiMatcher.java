package io.ecsbluegreen.sim;

import java.util.regex.Pattern;

/**
 * Selects API actions by service and action name, each a glob where {@code *} matches any run of
 * characters: {@code elasticloadbalancing:Describe*}, {@code s3:*}, {@code *:*}.
 *
 * @param service the service glob
 * @param action the action glob
 */
public record ApiMatcher(String service, String action) {

    public ApiMatcher {
        if (service == null || service.isEmpty() || action == null || action.isEmpty()) {
            throw new IllegalArgumentException("service and action globs must not be empty");
        }
    }

    /** Parses {@code service:ActionGlob}. */
    public static ApiMatcher parse(String text) {
        ApiAction parts = ApiAction.parse(text);
        return new ApiMatcher(parts.service(), parts.action());
    }

    /** Every action of every service. */
    public static ApiMatcher any() {
        return new ApiMatcher("*", "*");
    }

    public boolean matches(ApiAction api) {
        return glob(service, api.service()) && glob(action, api.action());
    }

    private static boolean glob(String glob, String text) {
        if (glob.equals("*")) {
            return true;
        }
        if (glob.indexOf('*') < 0) {
            return glob.equals(text);
        }
        // Matchers are evaluated per request but are few; compiling on the fly keeps the record a pure value.
        String[] parts = glob.split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            regex.append(i == 0 ? "" : ".*").append(Pattern.quote(parts[i]));
        }
        return Pattern.matches(regex.toString(), text);
    }

    @Override
    public String toString() {
        return service + ":" + action;
    }
}
