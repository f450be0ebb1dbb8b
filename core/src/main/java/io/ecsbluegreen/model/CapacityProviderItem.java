package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Default;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Range;
import io.ecsbluegreen.model.meta.Required;

/** One entry of a capacity provider strategy. */
@Doc("One capacity provider and its share of the tasks.")
public record CapacityProviderItem(
        @Required @Pattern(value = Patterns.ECS_NAME, hint = Patterns.ECS_NAME_HINT)
        @Doc("Capacity provider name, such as FARGATE or FARGATE_SPOT.")
        String capacityProvider,

        @Default("1") @Range(min = 0, max = 1000)
        @Doc("Relative share of the tasks beyond the base.")
        Integer weight,

        @Default("0") @Range(min = 0, max = 100000)
        @Doc("Tasks placed on this provider before weights apply.")
        Integer base) {}
