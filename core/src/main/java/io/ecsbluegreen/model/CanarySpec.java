package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.Required;
import io.ecsbluegreen.model.meta.Size;
import java.util.List;

/** Explicit canary steps. */
@Doc("Explicit traffic steps; after the last one production moves to 100%.")
public record CanarySpec(
        @Required @Size(min = 1, max = 20)
        @Doc("Steps with rising weights (1 to 100).")
        List<CanaryStep> steps) {}
