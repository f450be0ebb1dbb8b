package io.ecsbluegreen.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbluegreen.api.DashboardResource.QueueView;
import io.ecsbluegreen.api.DashboardResource.ServiceView;
import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.DesiredStateStore;
import io.ecsbluegreen.desired.SourceStatus;
import io.ecsbluegreen.events.Event;
import io.ecsbluegreen.events.EventLog;
import io.ecsbluegreen.loop.Engine;
import io.ecsbluegreen.loop.WorkQueue;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What the dashboard polls: {@code GET /api/v1/overview} (one compact row per service, only what changed
 * since the version the page holds, {@code 304} when nothing did) and, for the service a page has open,
 * {@code GET /api/v1/overview/services/NAME} (its card and events, {@code 304} when unchanged). Reads
 * under {@code /api/}: open or guarded by the token as {@code bluegreen.api.open-reads} says
 * ({@link ApiAuth}).
 */
@Path("/api/v1/overview")
@Produces(MediaType.APPLICATION_JSON)
public class OverviewResource {

    /** One service in full, as its detail view shows it: the dashboard's card, its events, and what the page shows above. */
    public record Detail(ServiceView service, List<Event> events, List<SourceStatus> sources, QueueView queue) {}

    private final Overview overview;
    private final DesiredStateStore store;
    private final StatusBook statuses;
    private final EventLog events;
    private final Engine engine;
    private final ObjectMapper json;

    public OverviewResource(Overview overview, DesiredStateStore store, StatusBook statuses, EventLog events, Engine engine,
                            ObjectMapper json) {
        this.overview = overview;
        this.store = store;
        this.statuses = statuses;
        this.events = events;
        this.engine = engine;
        this.json = json;
    }

    /**
     * Every row, or with {@code since} (a version from an earlier answer) the rows changed after it and the
     * names removed. The ETag is the version: {@code If-None-Match} with it, or {@code since} equal to it,
     * gets {@code 304} and no body.
     */
    @GET
    public Response overview(@QueryParam("since") String since, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        Overview.Answer answer = overview.since(since);
        EntityTag tag = new EntityTag(answer.version());
        if (answer.version().equals(since) || matches(ifNoneMatch, tag)) return notModified(tag);
        return Response.ok(answer).tag(tag).header(HttpHeaders.CACHE_CONTROL, "no-cache").build();
    }

    /** One service's card and its events (newest first); the ETag is a digest of the answer. */
    @GET
    @Path("/services/{name}")
    public Response service(@PathParam("name") String name, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch)
            throws JsonProcessingException {
        DesiredState state = store.current();
        DesiredService declared = state.service(name).orElse(null);
        ServiceReport report = statuses.get(name).orElse(null);
        if (declared == null && report == null) throw new NotFoundException("no service named '" + name + "'");
        String owner = statuses.owner(name);
        ServiceView view = declared != null ? DashboardResource.view(declared, report, owner)
                : new ServiceView(name, null, null, null, null, null, null, List.of(), report, owner);
        WorkQueue.Backlog backlog = engine.backlog();
        Detail detail = new Detail(view, events.events(name), state.sources(),
                new QueueView(backlog.ready(), backlog.oldestWait().toSeconds()));
        byte[] body = json.writeValueAsBytes(detail);
        EntityTag tag = new EntityTag(digest(body));
        if (matches(ifNoneMatch, tag)) return notModified(tag);
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).tag(tag).header(HttpHeaders.CACHE_CONTROL, "no-cache").build();
    }

    private static Response notModified(EntityTag tag) {
        return Response.notModified(tag).header(HttpHeaders.CACHE_CONTROL, "no-cache").build();
    }

    /** Whether an {@code If-None-Match} list names the tag ({@code *}, weak or strong: a GET compares weakly). */
    static boolean matches(String ifNoneMatch, EntityTag tag) {
        if (ifNoneMatch == null) return false;
        for (String part : ifNoneMatch.split(",")) {
            String t = part.strip();
            if (t.equals("*")) return true;
            if (t.startsWith("W/")) t = t.substring(2);
            if (t.equals("\"" + tag.getValue() + "\"")) return true;
        }
        return false;
    }

    private static String digest(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
