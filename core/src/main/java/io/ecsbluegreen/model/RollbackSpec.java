package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Size;
import java.util.List;

/** Automatic rollback triggers. */
@Doc("What rolls a rollout back on its own (besides failed hooks, failed analysis and the progress deadline).")
public record RollbackSpec(
        @Size(max = 10) @Pattern(value = Patterns.ALARM_NAME, hint = Patterns.ALARM_NAME_HINT)
        @Doc("CloudWatch alarms watched from the start of test traffic to the end of the bake; any in ALARM rolls back.")
        List<String> alarms) {}
