package io.ecsbluegreen.awsevents;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.Origin;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.spec.SpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ECS service events (ECS Service Action, ECS Deployment State Change) as AWS documents them:
 * {@code resources} holds the long service ARN, which maps to the declared service of that cluster, service
 * and region. One row per event name; the detail is never needed to find the service.
 */
class EventRouterTest {
    static final String SERVICE_ARN = "arn:aws:ecs:us-east-1:111122223333:service/demo/greeter";

    static DesiredState greeterDeclared() throws Exception {
        Path file = Path.of("../examples/greeter/greeter.yaml");
        BlueGreenService greeter = new SpecParser().parse(file.toString(), Files.readAllBytes(file)).services().get(0).service();
        return new DesiredState(Map.of("greeter", new DesiredService("greeter", DesiredService.State.READY, greeter,
                new Origin("dir:examples", "greeter/greeter.yaml", 1, "v1", null), List.of())), List.of());
    }

    static String event(String detailType, String eventType, String eventName, String resources) {
        return """
                {"version": "0", "id": "ddca6449-b258-46c0-8653-e0e3a6EXAMPLE", "detail-type": "%s", "source": "aws.ecs",
                 "account": "111122223333", "time": "2026-12-06T10:00:00Z", "region": "us-east-1", "resources": %s,
                 "detail": {"eventType": "%s", "eventName": "%s", "clusterArn": "arn:aws:ecs:us-east-1:111122223333:cluster/demo",
                            "createdAt": "2026-12-06T10:00:00.000Z"}}
                """.formatted(detailType, resources, eventType, eventName);
    }

    EventRouter.Outcome route(String body) throws Exception {
        return new EventRouter().route(body, greeterDeclared(), List.of(), "us-east-1");
    }

    static final String GREETER = "[\"" + SERVICE_ARN + "\"]";

    @ParameterizedTest(name = "{0} {2} with resources {3}: {4}")
    @CsvSource(delimiter = '|', value = {
            // mapped: the declared service of the ARN's region, cluster and name
            "ECS Service Action          | INFO  | SERVICE_STEADY_STATE               | GREETER | woke",
            "ECS Service Action          | INFO  | TASKSET_STEADY_STATE               | GREETER | woke",
            "ECS Service Action          | WARN  | SERVICE_TASK_START_IMPAIRED        | GREETER | woke",
            "ECS Service Action          | ERROR | SERVICE_TASK_PLACEMENT_FAILURE     | GREETER | woke",
            "ECS Service Action          | ERROR | SERVICE_TASK_CONFIGURATION_FAILURE | GREETER | woke",
            "ECS Deployment State Change | INFO  | SERVICE_DEPLOYMENT_IN_PROGRESS     | GREETER | woke",
            "ECS Deployment State Change | INFO  | SERVICE_DEPLOYMENT_COMPLETED       | GREETER | woke",
            "ECS Deployment State Change | ERROR | SERVICE_DEPLOYMENT_FAILED          | GREETER | woke",
            // unknown service: another name, cluster or region
            "ECS Service Action          | INFO  | SERVICE_STEADY_STATE | [\"arn:aws:ecs:us-east-1:111122223333:service/demo/billing\"]         | unmatched",
            "ECS Service Action          | INFO  | SERVICE_STEADY_STATE | [\"arn:aws:ecs:us-east-1:111122223333:service/other-cluster/greeter\"] | unmatched",
            "ECS Service Action          | WARN  | SERVICE_TASK_START_IMPAIRED | [\"arn:aws:ecs:eu-west-1:111122223333:service/demo/greeter\"]  | unmatched",
            "ECS Deployment State Change | INFO  | SERVICE_DEPLOYMENT_COMPLETED | [\"arn:aws:ecs:us-east-1:111122223333:service/demo/billing\"] | unmatched",
            // malformed: no resources, not an array, not a long service ARN
            "ECS Service Action          | INFO  | SERVICE_STEADY_STATE | []                                                             | malformed",
            "ECS Service Action          | INFO  | SERVICE_STEADY_STATE | \"arn:aws:ecs:us-east-1:111122223333:service/demo/greeter\"   | malformed",
            "ECS Service Action          | INFO  | SERVICE_STEADY_STATE | [\"arn:aws:ecs:us-east-1:111122223333:cluster/demo\"]         | malformed",
            "ECS Service Action          | WARN  | SERVICE_TASK_START_IMPAIRED | [\"arn:aws:ecs:us-east-1:111122223333:service/greeter\"] | malformed",
            "ECS Service Action          | INFO  | SERVICE_STEADY_STATE | [\"greeter\"]                                                 | malformed",
            "ECS Deployment State Change | INFO  | SERVICE_DEPLOYMENT_IN_PROGRESS | []                                                   | malformed",
            "ECS Deployment State Change | ERROR | SERVICE_DEPLOYMENT_FAILED | [\"arn:aws:ecs:us-east-1:111122223333:service/greeter\"]  | malformed",
    })
    void aServiceEventWakesTheDeclaredServiceItsResourcesNameAndNothingElse(String detailType, String eventType, String eventName,
                                                                          String resources, String expected) throws Exception {
        EventRouter.Outcome outcome = route(event(detailType, eventType, eventName, resources.equals("GREETER") ? GREETER : resources));

        assertThat(EventRouter.label(outcome)).isEqualTo(expected);
        if (expected.equals("woke")) assertThat(outcome).isEqualTo(new EventRouter.Outcome.Wake(java.util.Set.of("greeter"), java.util.Set.of()));
    }

    @org.junit.jupiter.api.Test
    void everyDetailTypeTheRuleSubscribesToIsRoutedNoneIsUnknown() throws Exception {
        for (String detailType : EventRouter.DETAIL_TYPES) {
            for (String source : EventRouter.SOURCES) {
                String body = "{\"source\": \"" + source + "\", \"detail-type\": \"" + detailType + "\", \"detail\": {}}";
                EventRouter.Outcome outcome = route(body);
                boolean own = source.equals("aws.ecs") == detailType.startsWith("ECS ")
                        && source.equals("aws.cloudwatch") == detailType.startsWith("CloudWatch ")
                        && source.equals("aws.s3") == detailType.startsWith("Object ");
                assertThat(outcome instanceof EventRouter.Outcome.Unknown).as(source + " / " + detailType).isEqualTo(!own);
            }
        }
    }
}
