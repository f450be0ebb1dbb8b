package io.ecsbluegreen.model.meta;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A regular expression the whole string must match, with a hint in words for the error message. Read by the spec binder and the schema generator alike, so both enforce the same rule. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Pattern {
    String value();

    /** What the pattern means, for people: {@code "1 to 255 letters, digits, hyphens or underscores"}. */
    String hint();
}
