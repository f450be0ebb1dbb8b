package io.ecsbluegreen.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.spec.SpecParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;

class TaskDefinitionsTest {

    static BlueGreenServiceSpec greeter() throws IOException {
        Path file = Path.of("../examples/greeter/greeter.yaml");
        return new SpecParser().parse(file.toString(), Files.readAllBytes(file)).services().get(0).service().spec();
    }

    @Test
    void theGreeterBecomesAFargateTaskDefinitionWithEveryContainerSettingAndTheRevisionTag() throws IOException {
        RegisterTaskDefinitionRequest r = TaskDefinitions.request(greeter(), Map.of("ecsbluegreen.io/revision", "r-000000000001"));
        assertThat(r.family()).isEqualTo("greeter");
        assertThat(r.cpu()).isEqualTo("256");
        assertThat(r.memory()).isEqualTo("512");
        assertThat(r.networkMode()).isEqualTo(NetworkMode.AWSVPC);
        assertThat(r.requiresCompatibilities()).containsExactly(Compatibility.FARGATE);
        assertThat(r.executionRoleArn()).isEqualTo("arn:aws:iam::000000000000:role/ecsTaskExecutionRole");
        assertThat(r.tags()).extracting(t -> t.key() + "=" + t.value()).containsExactly("ecsbluegreen.io/revision=r-000000000001");
        ContainerDefinition web = r.containerDefinitions().get(0);
        assertThat(web.name()).isEqualTo("web");
        assertThat(web.image()).isEqualTo("ghcr.io/ecsbluegreen/greeter:1.0.0");
        assertThat(web.essential()).isTrue();
        assertThat(web.portMappings()).extracting(p -> p.containerPort() + "/" + p.protocolAsString()).containsExactly("8080/tcp");
        assertThat(web.environment()).containsExactly(
                KeyValuePair.builder().name("GREETING").value("Hello World").build(),
                KeyValuePair.builder().name("PAGE_COLOR").value("green").build());
        assertThat(web.healthCheck().interval()).isEqualTo(10);
        assertThat(web.healthCheck().timeout()).isEqualTo(5);
        assertThat(web.healthCheck().retries()).isEqualTo(3);
        assertThat(web.logConfiguration().logDriverAsString()).isEqualTo("awslogs");
        assertThat(web.logConfiguration().options()).containsEntry("awslogs-group", "/ecs/greeter");
    }
}
