package io.ecsbluegreen.api;

import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.DesiredStateStore;
import io.ecsbluegreen.desired.Origin;
import io.ecsbluegreen.desired.SourceStatus;
import io.ecsbluegreen.desired.SourceSync;
import io.ecsbluegreen.events.Event;
import io.ecsbluegreen.events.EventLog;
import io.ecsbluegreen.loop.Engine;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.plan.Command;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.status.RevisionLabel;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import io.ecsbluegreen.spec.SpecError;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The operator's API: which services it wants, from which file and commit, what is wrong with the
 * files it could not apply, where each rollout stands, and the commands people give (promote, abort,
 * retry).
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class DesiredStateResource {

    /**
     * One service in listings: what is wanted, whether it is trusted, and where the rollout stands
     * (the status fields are null until the service's first pass); {@code revisions} labels the revisions
     * named (images, commit or object version: see {@link RevisionLabel}); {@code owner} is the operator
     * replica holding the service's lease (null with leases off).
     */
    public record ServiceSummary(String name, DesiredService.State state, String cluster, String service,
                                 String strategy, Origin origin, List<String> problems, Phase phase,
                                 String activeRevision, String desiredRevision, Map<String, Integer> productionWeights,
                                 Map<String, Integer> testWeights, Integer step, Integer steps, String reason,
                                 String message, Instant lastTransitionTime, Map<String, RevisionLabel> revisions, String owner) {}

    /** One service in full: its spec with every default applied, and its full status with history. */
    public record ServiceDetail(String name, DesiredService.State state, Origin origin, List<SpecError> problems,
                                BlueGreenService desired, ServiceReport status) {}

    /** The answer to a command. */
    public record CommandAnswer(String service, String command, boolean accepted, String message) {}

    private final DesiredStateStore store;
    private final SourceSync sync;
    private final StatusBook statuses;
    private final Engine engine;
    private final EventLog events;

    public DesiredStateResource(DesiredStateStore store, SourceSync sync, StatusBook statuses, Engine engine, EventLog events) {
        this.store = store;
        this.sync = sync;
        this.statuses = statuses;
        this.engine = engine;
        this.events = events;
    }

    @GET
    @Path("/services")
    public List<ServiceSummary> services() {
        return store.current().services().values().stream().map(this::summary).toList();
    }

    @GET
    @Path("/services/{name}")
    public ServiceDetail service(@PathParam("name") String name) {
        DesiredService s = store.current().service(name)
                .orElseThrow(() -> new NotFoundException("no service named '" + name + "'"));
        return new ServiceDetail(s.name(), s.state(), s.origin(), s.problems(), s.spec(), statuses.get(name).orElse(null));
    }

    /**
     * The service's events, newest first: phase transitions, rollouts ending, hook results, failed
     * analysis measurements and drift corrections (the latest {@value EventLog#KEPT}).
     */
    @GET
    @Path("/services/{name}/events")
    public List<Event> events(@PathParam("name") String name) {
        if (store.current().service(name).isEmpty() && statuses.get(name).isEmpty()) {
            throw new NotFoundException("no service named '" + name + "'");
        }
        return events.events(name);
    }

    /**
     * Gives a service a command for its next pass: {@code promote} (manual promotion), {@code abort} (roll
     * back now) or {@code retry} (start a rolled-back or failed revision again). 202 when accepted, 409
     * with the reason when the service's phase does not allow it, 404 for an unknown service.
     */
    @POST
    @Path("/services/{name}/{command: promote|abort|retry}")
    public Response command(@PathParam("name") String name, @PathParam("command") String command) {
        Command c = Command.valueOf(command.toUpperCase(java.util.Locale.ROOT));
        Engine.CommandResult result = engine.command(name, c);
        if (!result.found()) throw new NotFoundException(result.message());
        return Response.status(result.accepted() ? Response.Status.ACCEPTED : Response.Status.CONFLICT)
                .entity(new CommandAnswer(name, command, result.accepted(), result.message())).build();
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

    /** The answer to a confirmation: the sources whose held snapshot took effect, and every source after it. */
    public record ConfirmAnswer(List<String> confirmed, List<SourceStatus> sources) {}

    /**
     * A person confirms the removal the removal guard holds: the held snapshot of {@code source} (of every
     * held source when absent) takes effect, its removed services become orphaned and stay watched. 200
     * with what was confirmed; 404 for an unknown source; 409 when nothing is held.
     */
    @POST
    @Path("/sources/confirm")
    public Response confirm(@QueryParam("source") String source) {
        List<String> targets;
        if (source == null) {
            targets = store.held();
        } else if (store.current().sources().stream().noneMatch(s -> s.source().equals(source))) {
            throw new NotFoundException("no source '" + source + "'");
        } else {
            targets = List.of(source);
        }
        List<String> confirmed = targets.stream().filter(id -> store.confirm(id).isPresent()).toList();
        ConfirmAnswer answer = new ConfirmAnswer(confirmed, store.current().sources());
        return Response.status(confirmed.isEmpty() ? Response.Status.CONFLICT : Response.Status.OK).entity(answer).build();
    }

    private ServiceSummary summary(DesiredService s) {
        BlueGreenService spec = s.spec();
        ServiceReport r = statuses.get(s.name()).orElse(null);
        return new ServiceSummary(s.name(), s.state(),
                spec == null ? null : spec.spec().cluster(),
                spec == null ? null : spec.spec().service(),
                spec == null ? null : spec.spec().strategy().type().wire(),
                s.origin(),
                s.problems().stream().map(SpecError::toString).toList(),
                r == null ? null : r.phase(), r == null ? null : r.activeRevision(), r == null ? null : r.desiredRevision(),
                r == null ? null : r.productionWeights(), r == null ? null : r.testWeights(),
                r == null ? null : r.step(), r == null ? null : r.steps(), r == null ? null : r.reason(),
                r == null ? null : r.message(), r == null ? null : r.lastTransitionTime(), r == null ? null : r.revisions(),
                statuses.owner(s.name()));
    }
}
