package io.ecsbluegreen.model.meta;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A record that may also be written as a bare value: {@code scaling: external} means
 * {@code scaling: {mode: external}}. The scalar binds to {@link #field} and the other fields stay absent.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Shorthand {
    /** The field the bare value is. */
    String field();
}
