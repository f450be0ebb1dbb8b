package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.KeyPattern;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Required;
import io.ecsbluegreen.model.meta.Size;
import java.util.Map;

/** Identity and free-form metadata of a {@link BlueGreenService}. */
@Doc("Identity and free-form metadata.")
public record ObjectMeta(
        @Required @Size(min = 1, max = 63) @Pattern(value = Patterns.OBJECT_NAME, hint = Patterns.OBJECT_NAME_HINT)
        @Doc("Unique name of the service across every source; used in the API, metrics and AWS tags.")
        String name,

        @Size(max = 64) @KeyPattern(value = Patterns.LABEL_KEY, hint = Patterns.LABEL_KEY_HINT)
        @Doc("Labels for selecting services, for example in notifications.")
        Map<String, String> labels,

        @Size(max = 64)
        @Doc("Free-form notes for people and tools; the operator ignores them.")
        Map<String, String> annotations) {}
