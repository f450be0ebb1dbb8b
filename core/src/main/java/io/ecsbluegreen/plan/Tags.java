package io.ecsbluegreen.plan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS tags through which the operator remembers, in AWS itself, everything a rollout needs after a
 * restart. Keys live under {@code ecsbluegreen.io/}, which users may not use in their own tags.
 *
 * <p>Where state lives. ECS documents TagResource for services but not for task sets (a task set takes
 * tags only at creation), so every fact written after a creation is a tag on the ECS service, one tag
 * per fact, keyed by revision where a fact belongs to one revision's task set, and its value starts
 * with that task set's id ({@code TASKSETID:...}) so a tag left by an earlier task set of the same
 * revision is ignored (and removed once no task set of the revision runs). CreateTaskSet still tags
 * what is fixed at creation (owner, revision). Task sets created by the earlier layout carry
 * {@link #LEGACY_STEP}, {@link #LEGACY_HOOKS} and {@link #LEGACY_RETIRED_AT} themselves; the planner copies
 * them to the service on first sight and then marks the service with {@link #LAYOUT}, after which task
 * set tags are never read again.
 *
 * <p>Values. ECS and ELBv2 accept tag values of at most 256 characters matching
 * {@code ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$}; {@link #value} makes any text such a value, and every value
 * the operator writes goes through it at the edge (the actions and the ECS adapter). Free text that must
 * read back as written (a failure reason) is escaped first with {@link #encodeText}, whose output
 * {@link #value} leaves as it is.
 */
public final class Tags {
    private Tags() {}

    public static final String PREFIX = "ecsbluegreen.io/";

    /** On the service, listeners, rules and target groups: the owning BlueGreenService's name. */
    public static final String OWNER = PREFIX + "owner";
    /** On task sets and registered task definitions (at creation): the revision they run. */
    public static final String REVISION = PREFIX + "revision";
    /** On the service: the revision that failed or was aborted; not retried until the spec changes or retry. */
    public static final String FAILED_REVISION = PREFIX + "failed-revision";
    /** On the service: why {@link #FAILED_REVISION} failed ({@link #encodeText}, read back with {@link #text}). */
    public static final String FAILED_REASON = PREFIX + "failed-reason";
    /** On the service: the revision a person promoted (manual promotion). */
    public static final String PROMOTED_REVISION = PREFIX + "promoted-revision";
    /** On the service: {@code REVISION:K}, the beforeInstall hooks of a revision that succeeded (green does not exist yet). */
    public static final String BEFORE_INSTALL = PREFIX + "before-install";
    /**
     * On the service: the task-set creation generation, a counter in every CreateTaskSet client token. It
     * is raised before any task set is deleted, so a revision created again on the same target group
     * (retry, revert, a new green after a rollback) gets a fresh token: AWS answers a token it has seen
     * with the original result, even after that task set is gone.
     */
    public static final String GENERATION = PREFIX + "generation";
    /**
     * On the service: the operator instance ({@code bluegreen.instance.id}) that last wrote to it. Not
     * {@link #OWNER}, which names the BlueGreenService; this names the replica (see {@link OperatorOwnership}).
     */
    public static final String OPERATOR_INSTANCE = PREFIX + "operator-instance";
    /** On the service: when {@link #OPERATOR_INSTANCE} last wrote to it, in epoch seconds. */
    public static final String OPERATOR_HEARTBEAT = PREFIX + "operator-heartbeat";
    /**
     * On the service: {@code COUNT@EPOCH_SECONDS} ({@link CountTag}), the desired count the task sets scale to
     * and since when: followed from the service when the spec leaves the count to an autoscaler, or the
     * spec's own count once the operator corrected the service to it.
     */
    public static final String DESIRED_COUNT = PREFIX + "desired-count";
    /** On the service: {@code 2} once its state lives on the service (see the class comment). */
    public static final String LAYOUT = PREFIX + "layout";
    /** The value of {@link #LAYOUT} this operator writes. */
    public static final String LAYOUT_VERSION = "2";

    /** On the service, per revision: {@code TASKSETID:STEP@EPOCH_SECONDS}, the traffic step in force on green and when it began. */
    public static final String STEP = PREFIX + "step.";
    /**
     * On the service, per revision: {@code TASKSETID:P.K}, green's lifecycle-hook progress: every hook of
     * the points before point {@code P} (1 = afterInstall ... 4 = afterAllowTraffic) succeeded, and the
     * first {@code K} of point P.
     */
    public static final String HOOKS = PREFIX + "hooks.";
    /** On the service, per revision: {@code TASKSETID:EPOCH_SECONDS}, when that task set stopped being primary (blue retention). */
    public static final String RETIRED_AT = PREFIX + "retired-at.";
    /**
     * On the service, per revision: {@code TASKSETID:EPOCH_SECONDS}, when green's spec stopped being declared
     * in the middle of a traffic step (the service orphaned). While it is present the rollout takes no new
     * step; when the spec returns the step's pause restarts then, and the tag is removed.
     */
    public static final String ORPHANED_AT = PREFIX + "orphaned-at.";

    /** The earlier layout's step tag on the green task set itself: {@code STEP@EPOCH_SECONDS}. Read for migration only. */
    public static final String LEGACY_STEP = PREFIX + "step";
    /** The earlier layout's hook progress tag on the green task set itself. Read for migration only. */
    public static final String LEGACY_HOOKS = PREFIX + "hooks";
    /** The earlier layout's retirement tag on the retired task set itself. Read for migration only. */
    public static final String LEGACY_RETIRED_AT = PREFIX + "retired-at";

    /** AWS's limit on a tag value. */
    public static final int MAX_VALUE_LENGTH = 256;

    /** What replaces a character the tag pattern forbids. */
    private static final char REPLACEMENT = '_';

    /** The per-revision key of a fact: {@code kind} is {@link #STEP}, {@link #HOOKS}, {@link #RETIRED_AT} or {@link #ORPHANED_AT}. */
    public static String key(String kind, String revision) {
        return kind + revision;
    }

    /** The per-revision fact keys, for recognising them among the service's tags. */
    public static boolean perRevision(String key) {
        return key.startsWith(STEP) || key.startsWith(HOOKS) || key.startsWith(RETIRED_AT) || key.startsWith(ORPHANED_AT);
    }

    /** The revision a per-revision key is about. */
    public static String revisionOf(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    /** A value of the form {@code NUMBER@EPOCH_SECONDS} ({@link #STEP}'s fact, {@link #DESIRED_COUNT}), made into {@code T}. */
    static <T> Optional<T> numberAt(String text, java.util.function.BiFunction<Integer, java.time.Instant, T> make) {
        int at = text == null ? -1 : text.indexOf('@');
        try {
            return at < 0 ? Optional.empty()
                    : Optional.of(make.apply(Integer.parseInt(text.substring(0, at)), java.time.Instant.ofEpochSecond(Long.parseLong(text.substring(at + 1)))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A per-revision value: {@code TASKSETID:FACT}. */
    public static String forTaskSet(String taskSetId, String fact) {
        return value(taskSetId + ":" + fact);
    }

    /** The fact of a per-revision value if it was written for {@code taskSetId}. */
    public static Optional<String> factOf(String value, String taskSetId) {
        if (value == null) return Optional.empty();
        String encodedId = value(taskSetId) + ":";
        return value.startsWith(encodedId) ? Optional.of(value.substring(encodedId.length())) : Optional.empty();
    }

    /**
     * {@code text} as a valid ECS and ELBv2 tag value: every character outside letters, numbers,
     * separators and {@code _ . : / = + - @} becomes {@code _} (control characters, commas, brackets,
     * {@code %}, {@code <}), and the result is cut to 256 characters without splitting a surrogate pair.
     * Values the operator builds from ids and numbers pass unchanged.
     */
    public static String value(String text) {
        if (text == null) return "";
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_VALUE_LENGTH));
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int width = Character.charCount(cp);
            if (out.length() + (allowed(cp) ? width : 1) > MAX_VALUE_LENGTH) break;
            if (allowed(cp)) out.appendCodePoint(cp);
            else out.append(REPLACEMENT);
            i += width;
        }
        return out.toString();
    }

    /**
     * Free text (a failure reason) as a valid tag value that {@link #text} reads back unchanged: every
     * character the pattern forbids, and {@code =} itself, becomes {@code =XX} per UTF-8 byte (as in
     * quoted-printable); cut to 256 characters between two characters, never inside an escape.
     */
    public static String encodeText(String text) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (text != null && i < text.length()) {
            int cp = text.codePointAt(i);
            String unit;
            if (allowed(cp) && cp != '=') {
                unit = new String(Character.toChars(cp));
            } else {
                StringBuilder escaped = new StringBuilder();
                for (byte b : new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    escaped.append('=').append(String.format("%02X", b & 0xFF));
                }
                unit = escaped.toString();
            }
            if (out.length() + unit.length() > MAX_VALUE_LENGTH) break;
            out.append(unit);
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    /** The text {@link #encodeText} encoded; text that holds no escape reads as itself. */
    public static String text(String value) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '=' && i + 2 < value.length() && hex(value.charAt(i + 1)) && hex(value.charAt(i + 2))) {
                bytes.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
                i += 3;
            } else {
                int cp = value.codePointAt(i);
                bytes.writeBytes(new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }

    /** Every value of {@code tags} passed through {@link #value}. */
    public static Map<String, String> values(Map<String, String> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        tags.forEach((k, v) -> out.put(k, value(v)));
        return out;
    }

    private static boolean allowed(int cp) {
        if ("_.:/=+-@".indexOf(cp) >= 0 && cp < 128) return true;
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                 Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }
}
