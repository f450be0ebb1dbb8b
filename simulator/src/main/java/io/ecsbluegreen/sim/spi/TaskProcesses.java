package io.ecsbluegreen.sim.spi;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Starts the real processes of tasks whose image maps to a local command
 * ({@link ImageBehaviour#realProcess()}): the ECS side starts one when a task reaches RUNNING and stops it
 * when the task stops; the ELBv2 side forwards requests and health checks to its loopback port.
 */
public interface TaskProcesses {

    /** A running process of one task. */
    interface Handle {
        /** The loopback port the process was told to listen on. */
        int port();

        /** Whether the process is still running. */
        boolean alive();

        /** Stops the process (and its descendants): TERM, then KILL if it outlasts a grace period; idempotent. */
        void stop();
    }

    /**
     * Starts {@code command} for a task on a free loopback port.
     *
     * @param taskArn names the process in logs
     * @param environment the container's environment; the process also gets {@code HOST} and {@code PORT}
     * @throws IOException when the command cannot be started (not found, not executable)
     */
    Handle start(String taskArn, List<String> command, Map<String, String> environment) throws IOException;

    /** Starts nothing: every command fails, as on a host without the program. */
    TaskProcesses NONE = (taskArn, command, environment) -> {
        throw new IOException("this simulator runs no local processes");
    };
}
