package io.ecsbluegreen.model.meta;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** At least one of the named fields must be present. Read by the spec binder and the schema generator alike, so both enforce the same rule. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface AtLeastOneOf {
    String[] value();
}
