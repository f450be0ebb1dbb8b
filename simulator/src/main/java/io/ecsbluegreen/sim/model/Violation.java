package io.ecsbluegreen.sim.model;

/**
 * One way a request breaks its service model, worded as AWS words model validation errors:
 * {@code Value 'x' at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy regular
 * expression pattern: ...}.
 *
 * @param path the member's path, lower camel case, lists as {@code name.N.member} (1-based)
 * @param value the value as AWS renders it, or null when the member is missing
 * @param constraint the constraint it breaks ({@code Member must not be null})
 */
public record Violation(String path, String value, String constraint) {

    /** The sentence AWS writes for this violation. */
    public String message() {
        return "Value " + (value == null ? "null" : "'" + value + "'") + " at '" + path
                + "' failed to satisfy constraint: " + constraint;
    }

    @Override
    public String toString() {
        return message();
    }
}
