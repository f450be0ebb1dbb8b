package io.ecsbluegreen.model.meta;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Bounds on the number of items of a list or map, or on the length of a string. Read by the spec binder and the schema generator alike, so both enforce the same rule. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Size {
    int min() default 0;

    int max() default Integer.MAX_VALUE;
}
