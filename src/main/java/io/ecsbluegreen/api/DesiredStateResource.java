package io.ecsbluegreen.api;

import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.DesiredStateStore;
import io.ecsbluegreen.desired.Origin;
import io.ecsbluegreen.desired.SourceStatus;
import io.ecsbluegreen.desired.SourceSync;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.spec.SpecError;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * The desired state as the operator holds it: which services it wants, from which file and commit, and
 * what is wrong with the files it could not apply.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class DesiredStateResource {

    /** One service in listings: enough to see at a glance what is wanted and whether it is trusted. */
    public record ServiceSummary(String name, DesiredService.State state, String cluster, String service,
                                 String strategy, Origin origin, List<String> problems) {}

    /** One service in full, its spec with every default applied. */
    public record ServiceDetail(String name, DesiredService.State state, Origin origin, List<SpecError> problems,
                                BlueGreenService desired) {}

    private final DesiredStateStore store;
    private final SourceSync sync;

    public DesiredStateResource(DesiredStateStore store, SourceSync sync) {
        this.store = store;
        this.sync = sync;
    }

    @GET
    @Path("/services")
    public List<ServiceSummary> services() {
        return store.current().services().values().stream().map(DesiredStateResource::summary).toList();
    }

    @GET
    @Path("/services/{name}")
    public ServiceDetail service(@PathParam("name") String name) {
        DesiredService s = store.current().service(name)
                .orElseThrow(() -> new NotFoundException("no service named '" + name + "'"));
        return new ServiceDetail(s.name(), s.state(), s.origin(), s.problems(), s.spec());
    }

    @GET
    @Path("/sources")
    public List<SourceStatus> sources() {
        return store.current().sources();
    }

    /** Re-reads every source now; for webhooks from git hosts and S3 event notifications. */
    @POST
    @Path("/sources/refresh")
    public List<SourceStatus> refresh() {
        DesiredState state = sync.syncAll();
        return state.sources();
    }

    private static ServiceSummary summary(DesiredService s) {
        BlueGreenService spec = s.spec();
        return new ServiceSummary(s.name(), s.state(),
                spec == null ? null : spec.spec().cluster(),
                spec == null ? null : spec.spec().service(),
                spec == null ? null : spec.spec().strategy().type().wire(),
                s.origin(),
                s.problems().stream().map(SpecError::toString).toList());
    }
}
