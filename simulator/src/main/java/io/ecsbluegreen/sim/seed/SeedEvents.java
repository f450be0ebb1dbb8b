package io.ecsbluegreen.sim.seed;

import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Required;
import java.util.List;

/** Where the seeded simulator sends the EventBridge events of its services (docs/simulator.md#events). */
@Doc("The SQS queue that receives the simulator's EventBridge events, as a rule with that queue as its target would.")
public record SeedEvents(
        @Required @Pattern(value = "^[A-Za-z0-9_-]{1,80}$", hint = "1 to 80 letters, digits, hyphens or underscores (a standard SQS queue)")
        @Doc("Name of the queue, created in the seed's region; every ECS, CloudWatch and S3 event goes to it.")
        String queue,

        @Doc("Buckets whose object events S3 sends (their EventBridge configuration turned on), created when missing; "
                + "S3 sends none for other buckets.")
        List<String> buckets) {}
