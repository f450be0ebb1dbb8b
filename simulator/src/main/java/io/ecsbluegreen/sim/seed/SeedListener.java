package io.ecsbluegreen.sim.seed;

import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Range;
import io.ecsbluegreen.model.meta.Required;
import java.util.List;

/** A listener of the seed: its port in AWS terms, where it really listens, and its rules. */
@Doc("An HTTP listener forwarding to one target group by default.")
public record SeedListener(
        @Required @Doc("A name for people (production, test); not an AWS field.")
        String name,

        @Pattern(value = "^[0-9a-f]{16}$", hint = "16 hex digits") @Doc("Fixed id for the ARN; random when absent.")
        String id,

        @Required @Range(min = 1, max = 65535)
        @Doc("Listener port. With the EXACT port mode (bluegreen simulate) the data plane listens on it on 127.0.0.1; "
                + "with EPHEMERAL (tests) on any free port, which the listener then reports as its port.")
        Integer port,

        @Required @Doc("Target group of the default forward action.")
        String defaultTargetGroup,

        @Doc("Rules, each forwarding matching requests to one target group.")
        List<SeedRule> rules) {}
