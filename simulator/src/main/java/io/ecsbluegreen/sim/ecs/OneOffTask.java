package io.ecsbluegreen.sim.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecsbluegreen.sim.spi.ImageBehaviour;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A task started by RunTask, owned by no service. Its whole life follows from when it was created and
 * how its images behave, so nothing runs in the background: PROVISIONING for the first quarter of the
 * task start time, PENDING for the rest, RUNNING until an essential container exits (or StopTask),
 * DEPROVISIONING for {@link #DEPROVISIONING}, then STOPPED. Guarded by the {@link EcsStore}'s lock.
 */
final class OneOffTask {

    /** How long a stopping task deprovisions before it is STOPPED. */
    static final Duration DEPROVISIONING = Duration.ofSeconds(10);
    /** The exit code of a container stopped with its task (SIGTERM), not by itself. */
    static final int STOPPED_EXIT_CODE = 143;
    static final String ESSENTIAL_EXITED = "Essential container in task exited";

    /** A container of the task, as its task definition, overrides and image decide. */
    record Container(String name, String image, boolean essential, ImageBehaviour.Exit exit, String startFailure) {}

    /** A container's state at one instant. */
    record ContainerState(String lastStatus, Integer exitCode, String reason) {}

    final String id;
    final String arn;
    final EcsStore.Cluster cluster;
    final EcsStore.TaskDef taskDefinition;
    /** The RunTask body, to tell a retry (same body) from another request with the same client token. */
    final JsonNode request;
    final String ip;
    final Instant createdAt;
    final Instant pendingAt;
    /** When it reached RUNNING; null when it fails to start. */
    final Instant startedAt;
    final List<Container> containers;
    final Map<String, String> tags = new LinkedHashMap<>();
    private final Instant naturalStop;
    private final String naturalStopCode;
    private final String naturalReason;
    private Instant userStopAt;
    private String userReason;

    OneOffTask(String id, String arn, EcsStore.Cluster cluster, EcsStore.TaskDef taskDefinition, JsonNode request, String ip,
               Instant createdAt, Duration taskStart, List<Container> containers) {
        this.id = id;
        this.arn = arn;
        this.cluster = cluster;
        this.taskDefinition = taskDefinition;
        this.request = request;
        this.ip = ip;
        this.createdAt = createdAt;
        this.pendingAt = createdAt.plus(taskStart.dividedBy(4));
        this.containers = List.copyOf(containers);
        String failure = containers.stream().map(Container::startFailure).filter(f -> f != null).findFirst().orElse(null);
        Instant pulled = createdAt.plus(taskStart);
        if (failure != null) {
            startedAt = null;
            naturalStop = pulled;
            naturalStopCode = "TaskFailedToStart";
            naturalReason = failure;
        } else {
            startedAt = pulled;
            Instant first = null;
            for (Container c : containers) {
                if (!c.essential() || c.exit() == null) continue;
                Instant at = pulled.plus(c.exit().after());
                if (first == null || at.isBefore(first)) first = at;
            }
            naturalStop = first;
            naturalStopCode = first == null ? null : "EssentialContainerExited";
            naturalReason = first == null ? null : ESSENTIAL_EXITED;
        }
    }

    String startedBy() {
        return text("startedBy");
    }

    String group() {
        String group = text("group");
        return group != null ? group : "family:" + taskDefinition.family;
    }

    String launchType() {
        return text("launchType");
    }

    String text(String field) {
        JsonNode v = request.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** When it started stopping (an essential container exited, it failed to start, or StopTask); null while it need not. */
    Instant stoppingAt() {
        if (userStopAt != null && (naturalStop == null || userStopAt.isBefore(naturalStop))) return userStopAt;
        return naturalStop;
    }

    private boolean userStopped() {
        return userStopAt != null && userStopAt.equals(stoppingAt());
    }

    Instant stoppedAt() {
        Instant stopping = stoppingAt();
        return stopping == null ? null : stopping.plus(DEPROVISIONING);
    }

    String stopCode() {
        return userStopped() ? "UserInitiated" : naturalStopCode;
    }

    String stoppedReason() {
        return userStopped() ? userReason : naturalReason;
    }

    /** Whether it is wanted running at {@code now} (desiredStatus RUNNING). */
    boolean live(Instant now) {
        Instant stopping = stoppingAt();
        return stopping == null || now.isBefore(stopping);
    }

    String desiredStatus(Instant now) {
        return live(now) ? "RUNNING" : "STOPPED";
    }

    String lastStatus(Instant now) {
        if (!live(now)) return now.isBefore(stoppedAt()) ? "DEPROVISIONING" : "STOPPED";
        if (now.isBefore(pendingAt)) return "PROVISIONING";
        return startedAt == null || now.isBefore(startedAt) ? "PENDING" : "RUNNING";
    }

    /** Whether its containers ever ran: it started before anything stopped it. */
    boolean ran(Instant now) {
        Instant stopping = stoppingAt();
        return startedAt != null && !now.isBefore(startedAt) && (stopping == null || startedAt.isBefore(stopping));
    }

    /** StopTask: a task already stopping keeps its first reason. */
    void stop(Instant now, String reason) {
        if (!live(now)) return;
        userStopAt = now;
        userReason = reason;
    }

    ContainerState state(Container c, Instant now) {
        Instant stopping = stoppingAt();
        boolean stoppingNow = stopping != null && !now.isBefore(stopping);
        if (startedAt == null || (stopping != null && !stopping.isAfter(startedAt))) {
            // never ran: failed to pull, or stopped while provisioning
            if (!stoppingNow) return new ContainerState("PENDING", null, null);
            return new ContainerState("STOPPED", null, userStopped() ? null : c.startFailure());
        }
        Instant ownExit = c.exit() == null ? null : startedAt.plus(c.exit().after());
        if (ownExit != null && (stopping == null || !ownExit.isAfter(stopping))) {
            if (!now.isBefore(ownExit)) return new ContainerState("STOPPED", c.exit().code(), null);
        } else if (stoppingNow) {
            return new ContainerState("STOPPED", STOPPED_EXIT_CODE, null);
        }
        return new ContainerState(now.isBefore(startedAt) ? "PENDING" : "RUNNING", null, null);
    }

    // ---- what the containers do ---------------------------------------------------------------------

    private static final Pattern EXIT = Pattern.compile("(?:^|[\\s;&|(])exit\\s+(\\d{1,3})\\s*;?\\s*$");

    /**
     * The exit code a command asks for, when it ends with {@code exit N} ({@code ["exit", "3"]},
     * {@code ["sh", "-c", "migrate && exit 3"]}); null otherwise: the image decides.
     */
    static Integer commandExitCode(List<String> command) {
        if (command.isEmpty()) return null;
        Matcher m = EXIT.matcher(String.join(" ", command).trim());
        if (!m.find()) return null;
        int code = Integer.parseInt(m.group(1));
        return code <= 255 ? code : null;
    }

    /**
     * The containers of a task definition with RunTask's container overrides applied: the image decides
     * when a container exits; a command (overridden or registered) that ends with {@code exit N} decides
     * its exit code.
     */
    static List<Container> containers(EcsStore.TaskDef td, JsonNode overrides, java.util.function.Function<String, ImageBehaviour> images) {
        List<Container> out = new ArrayList<>();
        for (JsonNode c : td.request.path("containerDefinitions")) {
            String name = c.path("name").asText();
            String image = c.path("image").asText("");
            List<String> command = EcsService.strings(c.path("command"));
            for (JsonNode o : overrides.path("containerOverrides")) {
                if (name.equals(o.path("name").asText()) && o.has("command")) command = EcsService.strings(o.get("command"));
            }
            ImageBehaviour behaviour = images.apply(image);
            ImageBehaviour.Exit exit = behaviour.oneOffExit();
            Integer code = commandExitCode(command);
            if (code != null) exit = new ImageBehaviour.Exit(exit == null ? ImageBehaviour.ONE_OFF_RUN : exit.after(), code);
            out.add(new Container(name, image, c.path("essential").asBoolean(true), exit, behaviour.startFailure()));
        }
        return out;
    }
}
