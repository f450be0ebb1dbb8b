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
 */
public record SimTask(String taskArn, String taskSetId, String ip, String image, Map<String, String> environment,
                      Instant startedAt, ImageBehaviour behaviour) {
    public SimTask {
        environment = Map.copyOf(environment);
    }
}
