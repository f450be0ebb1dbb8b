package io.ecsbluegreen.sim.seed;

import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Required;
import java.util.List;

/** An application load balancer of the seed. */
@Doc("An application load balancer.")
public record SeedLoadBalancer(
        @Required @Pattern(value = "^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$", hint = "1 to 32 letters, digits or hyphens")
        @Doc("Name.")
        String name,

        @Pattern(value = "^[0-9a-f]{16}$", hint = "16 hex digits") @Doc("Fixed id for the ARN; random when absent.")
        String id,

        @Doc("Listeners.")
        List<SeedListener> listeners) {}
