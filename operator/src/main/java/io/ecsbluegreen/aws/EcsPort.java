package io.ecsbluegreen.aws;

import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.observed.Observed;
import io.ecsbluegreen.plan.Revision;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The narrow part of Amazon ECS the operator uses. Implementations batch where the API allows
 * (DescribeServices: 10 services per call) and throw the SDK's exceptions unchanged.
 */
public interface EcsPort {

    /** The services of a cluster by name, with their task sets; names not found are absent. */
    Map<String, ServiceView> describeServices(String cluster, Collection<String> names);

    /** A service as DescribeServices returns it: the service and its task sets (without task set tags). */
    record ServiceView(Observed.EcsService service, List<Observed.TaskSet> taskSets) {}

    /** Task set tags by task set ARN (DescribeTaskSets with TAGS); only needed while a rollout runs. */
    Map<String, Map<String, String>> taskSetTags(String cluster, String service, Collection<String> taskSetArns);

    /** Creates the service; {@code clientToken} names this one creation (AWS answers a token it has seen with the original result). */
    String createService(BlueGreenServiceSpec spec, Map<String, String> tags, String clientToken);

    void updateDesiredCount(String cluster, String service, int desiredCount);

    /**
     * The image of each container of a task definition, in order. Task definitions never change, so an
     * implementation describes each at most once; this default knows none.
     */
    default List<String> containerImages(String taskDefinitionArn) {
        return List.of();
    }

    /** The task definition ARN registered for a revision of an inline spec, if any (tags are checked). */
    Optional<String> findTaskDefinition(String family, Revision revision);

    /** Registers the inline task definition of a revision, tagged with it; returns its ARN. */
    String registerTaskDefinition(BlueGreenServiceSpec spec, Revision revision, Map<String, String> tags);

    /**
     * Creates a task set at 100% scale; {@code clientToken} names this one creation, so a retry returns it.
     *
     * @throws SpentClientTokenException when AWS answers the token with a task set that is DRAINING or gone
     */
    String createTaskSet(BlueGreenServiceSpec spec, Revision revision, String taskDefinitionArn, String targetGroupArn,
                         Map<String, String> tags, String clientToken);

    void updateTaskSetScale(String cluster, String service, String taskSetArn, double percent);

    void updatePrimaryTaskSet(String cluster, String service, String taskSetArn);

    void deleteTaskSet(String cluster, String service, String taskSetArn);

    void tag(String arn, Map<String, String> tags);

    void untag(String arn, List<String> keys);

    /**
     * CreateTaskSet answered its client token with the task set an earlier request created, which has been
     * deleted since (DRAINING or gone): AWS remembers the token, so it will never create another one.
     */
    final class SpentClientTokenException extends RuntimeException {
        public SpentClientTokenException(String clientToken, String taskSetArn) {
            super("client token " + clientToken + " names task set " + taskSetArn + ", which is deleted; the next pass uses a new token");
        }
    }
}
