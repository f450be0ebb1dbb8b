package io.ecsbluegreen.sim.spi;

import java.time.Instant;
import java.util.Map;

/**
 * A simulated ECS task as the load balancer sees it: where it listens and what it would answer.
 *
 * @param taskArn the task's ARN
 * @param taskSetId the id of the task set that owns the task ({@code ecs-svc/…})
 * @param ip the task's private IP (awsvpc), unique within the simulator
 * @param image the image of the container registered in the target group
 * @param environment that container's environment, shown on the task's page
 * @param startedAt when the task reached RUNNING
 * @param behaviour how the image behaves
 * @param localPort the loopback port of the task's real process ({@link ImageBehaviour#realProcess()}), where
 *     the data plane forwards requests and health checks go; 0 for a simulated app
 */
public record SimTask(String taskArn, String taskSetId, String ip, String image, Map<String, String> environment,
                      Instant startedAt, ImageBehaviour behaviour, int localPort) {
    public SimTask {
        environment = Map.copyOf(environment);
        if (localPort < 0 || localPort > 65535) throw new IllegalArgumentException("localPort must be within 0..65535");
    }

    /** A task whose app is simulated. */
    public SimTask(String taskArn, String taskSetId, String ip, String image, Map<String, String> environment,
                   Instant startedAt, ImageBehaviour behaviour) {
        this(taskArn, taskSetId, ip, image, environment, startedAt, behaviour, 0);
    }

    /** Whether the task is a real process on {@link #localPort}. */
    public boolean real() {
        return localPort > 0;
    }
}
