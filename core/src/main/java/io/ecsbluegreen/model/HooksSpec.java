package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.Size;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hooks at CodeDeploy's five lifecycle points, each list run in order. */
@Doc("Hooks at CodeDeploy's five lifecycle points; the hooks of one point run in order.")
public record HooksSpec(
        @Size(max = 10)
        @Doc("Before the green task set is created. A failure stops the rollout; nothing needs rolling back.")
        List<HookSpec> beforeInstall,

        @Size(max = 10)
        @Doc("Green is running and healthy, with no traffic.")
        List<HookSpec> afterInstall,

        @Size(max = 10)
        @Doc("The test listener serves green.")
        List<HookSpec> afterAllowTestTraffic,

        @Size(max = 10)
        @Doc("Just before production traffic moves.")
        List<HookSpec> beforeAllowTraffic,

        @Size(max = 10)
        @Doc("Production is fully on green, before the bake ends.")
        List<HookSpec> afterAllowTraffic) {

    /** The hooks by lifecycle point, in CodeDeploy's order. */
    public Map<String, List<HookSpec>> byPoint() {
        Map<String, List<HookSpec>> points = new LinkedHashMap<>();
        points.put("beforeInstall", beforeInstall);
        points.put("afterInstall", afterInstall);
        points.put("afterAllowTestTraffic", afterAllowTestTraffic);
        points.put("beforeAllowTraffic", beforeAllowTraffic);
        points.put("afterAllowTraffic", afterAllowTraffic);
        return points;
    }
}
