package io.ecsbluegreen.model.meta;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A pattern every key of a map field must match. Read by the spec binder and the schema generator alike, so both enforce the same rule. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface KeyPattern {
    String value();

    String hint();
}
