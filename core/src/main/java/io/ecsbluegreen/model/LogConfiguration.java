package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Required;
import io.ecsbluegreen.model.meta.Size;
import java.util.Map;

/** Where a container's logs go. */
@Doc("The container's log driver and its options.")
public record LogConfiguration(
        @Required
        @Doc("Log driver.")
        LogDriver logDriver,

        @Size(max = 50)
        @Doc("Driver options, for example `awslogs-group`.")
        Map<String, String> options,

        @Size(max = 50) @Pattern(value = Patterns.SECRET_REF, hint = Patterns.SECRET_REF_HINT)
        @Doc("Driver options read from secrets.")
        Map<String, String> secretOptions) {}
