package io.ecsbluegreen.api;

import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.DesiredStateStore;
import io.ecsbluegreen.desired.Origin;
import io.ecsbluegreen.desired.SourceStatus;
import io.ecsbluegreen.loop.Engine;
import io.ecsbluegreen.loop.WorkQueue;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.spec.SpecError;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the dashboard at {@code /} polls: every service with its full status (history, hook runs,
 * analysis measurements) and the sources, in one read, so that a page with many services makes one
 * request every two seconds rather than one per service. A read under {@code /api/}: open or guarded
 * by the token as {@code bluegreen.api.open-reads} says ({@link ApiAuth}).
 */
@Path("/api/v1/dashboard")
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {

    /**
     * One service as the dashboard shows it.
     *
     * @param state null for a service no file declares any more (its status says Orphaned)
     * @param promotion {@code auto} or {@code manual}; null without a valid spec
     * @param status null until the service's first pass
     * @param owner the operator replica holding the service's lease; null with leases off. Shown on every
     *     replica: one that does not own the service has no status of it
     */
    public record ServiceView(String name, DesiredService.State state, String cluster, String service, String strategy,
                              String promotion, Origin origin, List<String> problems, ServiceReport status, String owner) {}

    /**
     * The reconcile queue: services ready for a pass that no worker has taken yet (each one whose spec
     * changed shows phase {@code Queued}) and how long the oldest of them has waited.
     */
    public record QueueView(int ready, double oldestWaitSeconds) {}

    /** Every service, by name, every source, and the reconcile queue. */
    public record Dashboard(List<ServiceView> services, List<SourceStatus> sources, QueueView queue) {}

    private final DesiredStateStore store;
    private final StatusBook statuses;
    private final Engine engine;

    public DashboardResource(DesiredStateStore store, StatusBook statuses, Engine engine) {
        this.store = store;
        this.statuses = statuses;
        this.engine = engine;
    }

    @GET
    public Dashboard dashboard() {
        DesiredState state = store.current();
        Map<String, ServiceView> views = new TreeMap<>();
        for (DesiredService s : state.services().values()) {
            views.put(s.name(), view(s, statuses.get(s.name()).orElse(null), statuses.owner(s.name())));
        }
        for (ServiceReport r : statuses.all()) {
            views.putIfAbsent(r.name(), new ServiceView(r.name(), null, null, null, null, null, null, List.of(), r, statuses.owner(r.name())));
        }
        WorkQueue.Backlog backlog = engine.backlog();
        return new Dashboard(new ArrayList<>(views.values()), state.sources(),
                new QueueView(backlog.ready(), backlog.oldestWait().toMillis() / 1000.0));
    }

    static ServiceView view(DesiredService s, ServiceReport report, String owner) {
        BlueGreenService spec = s.spec();
        return new ServiceView(s.name(), s.state(),
                spec == null ? null : spec.spec().cluster(),
                spec == null ? null : spec.spec().service(),
                spec == null ? null : spec.spec().strategy().type().wire(),
                spec == null || spec.spec().strategy().promotion() == null ? null : spec.spec().strategy().promotion().wire(),
                s.origin(), s.problems().stream().map(SpecError::toString).toList(), report, owner);
    }
}
