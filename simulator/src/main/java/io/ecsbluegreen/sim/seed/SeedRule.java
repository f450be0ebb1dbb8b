package io.ecsbluegreen.sim.seed;

import io.ecsbluegreen.model.meta.AtLeastOneOf;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Range;
import io.ecsbluegreen.model.meta.Required;

/** A listener rule of the seed. */
@AtLeastOneOf({"hostHeader", "pathPattern"})
@Doc("A rule forwarding requests that match its host header or path pattern.")
public record SeedRule(
        @Pattern(value = "^[0-9a-f]{16}$", hint = "16 hex digits") @Doc("Fixed id for the ARN; random when absent.")
        String id,

        @Required @Range(min = 1, max = 50000) @Doc("Priority.")
        Integer priority,

        @Doc("Host header condition.")
        String hostHeader,

        @Doc("Path pattern condition.")
        String pathPattern,

        @Required @Doc("Target group of the forward action.")
        String targetGroup) {}
