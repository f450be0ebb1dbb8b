package io.ecsbluegreen.sim.lambda;

import io.ecsbluegreen.spec.JsonReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.FaultRule;
import io.ecsbluegreen.sim.RawHttp;
import io.ecsbluegreen.sim.SimClients;
import io.ecsbluegreen.sim.SimulatorConfig;
import io.ecsbluegreen.sim.ThrottleRule;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.InvalidRequestContentException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ListFunctionsResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.ServiceException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/** Lambda through the real SDK v2 client. */
class LambdaServiceTest {

    private static final Instant START = Instant.parse("2025-03-01T12:00:00Z");
    private static final String ACCOUNT = "123456789012";
    private static final String ARN = "arn:aws:lambda:eu-west-1:" + ACCOUNT + ":function:";

    private AwsSimulator sim;
    private LambdaClient lambda;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start(SimulatorConfig.defaults().withClockStart(START).withAccountId(ACCOUNT));
        lambda = client(sim);
    }

    @AfterEach
    void stop() {
        lambda.close();
        sim.close();
    }

    static LambdaClient client(AwsSimulator sim) {
        return LambdaClient.builder()
                .endpointOverride(sim.endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(SimClients.CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private InvokeResponse invoke(String functionName, String payload) {
        return lambda.invoke(b -> b.functionName(functionName).payload(SdkBytes.fromUtf8String(payload)));
    }

    @Test
    void invokeAnswersTheFunctionsPayloadAndTheExecutedVersion() {
        sim.lambda().register("greeter", LambdaHandler.ofText((payload, ctx) ->
                "{\"greeting\":\"hello\",\"got\":" + payload + ",\"function\":\"" + ctx.functionName() + "\"}"));

        InvokeResponse response = invoke("greeter", "{\"name\":\"blue\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.functionError()).isNull();
        assertThat(response.executedVersion()).isEqualTo("$LATEST");
        assertThat(response.payload().asUtf8String())
                .isEqualTo("{\"greeting\":\"hello\",\"got\":{\"name\":\"blue\"},\"function\":\"greeter\"}");
        assertThat(response.logResult()).isNull();
    }

    @Test
    void theHandlerSeesItsInvocationContext() {
        sim.lambda().register("ctx", LambdaHandler.ofText((payload, ctx) -> "{\"requestId\":\"" + ctx.requestId()
                + "\",\"arn\":\"" + ctx.invokedFunctionArn() + "\",\"remainingMs\":" + ctx.remainingTime().toMillis()
                + ",\"start\":\"" + ctx.startTime() + "\"}"));

        InvokeResponse response = invoke("ctx", "{}");

        Map<String, Object> body = JsonReader.parseObject(response.payload().asUtf8String());
        assertThat(body.get("requestId")).isEqualTo(response.responseMetadata().requestId());
        assertThat(body.get("arn")).isEqualTo(ARN + "ctx");
        assertThat((Long) body.get("remainingMs")).isBetween(0L, 3000L);
        assertThat(body.get("start")).isEqualTo(START.toString());
    }

    @Test
    void aThrowingHandlerIsAnUnhandledFunctionErrorInLambdasFormat() {
        sim.lambda().register("broken", (payload, ctx) -> {
            throw new IllegalStateException("database unreachable");
        });

        InvokeResponse response = invoke("broken", "{}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.functionError()).isEqualTo("Unhandled");
        assertThat(response.payload().asUtf8String()).isEqualTo(
                "{\"errorMessage\":\"database unreachable\",\"errorType\":\"java.lang.IllegalStateException\"}");
    }

    @Test
    void aFunctionErrorCarriesItsOwnTypeAndMayBeHandled() {
        sim.lambda().register("validator", (payload, ctx) -> {
            throw FunctionError.handled("ValidationFailed", "image tag missing");
        });
        sim.lambda().register("crasher", (payload, ctx) -> {
            throw FunctionError.unhandled("Runtime.ExitError", "exit status 1");
        });

        InvokeResponse handled = invoke("validator", "{}");
        InvokeResponse unhandled = invoke("crasher", "{}");

        assertThat(handled.functionError()).isEqualTo("Handled");
        assertThat(handled.payload().asUtf8String())
                .isEqualTo("{\"errorMessage\":\"image tag missing\",\"errorType\":\"ValidationFailed\"}");
        assertThat(unhandled.functionError()).isEqualTo("Unhandled");
        assertThat(unhandled.payload().asUtf8String())
                .isEqualTo("{\"errorMessage\":\"exit status 1\",\"errorType\":\"Runtime.ExitError\"}");
    }

    @Test
    void simulatedWorkBeyondTheTimeoutTimesTheInvocationOutAsLambdaReportsIt() {
        AtomicInteger finished = new AtomicInteger();
        sim.lambda().register("slow", (payload, ctx) -> {
            ctx.simulateWork(Duration.ofSeconds(2));
            ctx.simulateWork(Duration.ofSeconds(2));
            finished.incrementAndGet();
            return null;
        });

        InvokeResponse response = invoke("slow", "{}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.functionError()).isEqualTo("Unhandled");
        assertThat(response.payload().asUtf8String()).isEqualTo("{\"errorMessage\":\"RequestId: "
                + response.responseMetadata().requestId() + " Error: Task timed out after 3.00 seconds\","
                + "\"errorType\":\"Sandbox.Timedout\"}");
        assertThat(finished).hasValue(0);
    }

    @Test
    void aHandlerRunningLongerThanItsTimeoutInRealTimeIsAbandoned() {
        CountDownLatch interrupted = new CountDownLatch(1);
        sim.lambda().register("sleeper", (payload, ctx) -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return null;
        }).timeout(Duration.ofMillis(200));

        InvokeResponse response = invoke("sleeper", "{}");

        // answered while the handler still sleeps (its 10 s never end: it is interrupted, below), so the
        // invoke did not wait for it; no stopwatch needed
        assertThat(response.functionError()).isEqualTo("Unhandled");
        assertThat(response.payload().asUtf8String()).contains("Task timed out after 0.20 seconds");
        assertThat(awaitQuietly(interrupted)).isTrue();
    }

    @Test
    void aFunctionWithinItsTimeoutSucceeds() {
        sim.lambda().register("steady", (payload, ctx) -> {
            ctx.simulateWork(Duration.ofSeconds(5));
            return "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        }).timeout(Duration.ofSeconds(10));

        assertThat(invoke("steady", "{}").payload().asUtf8String()).isEqualTo("{\"ok\":true}");
        assertThat(lambda.getFunction(b -> b.functionName("steady")).configuration().timeout()).isEqualTo(10);
    }

    @Test
    void aLifecycleHookAnswersInProgressThenSucceededOnLaterCalls() {
        AtomicInteger calls = new AtomicInteger();
        sim.lambda().register("pre-traffic-hook", LambdaHandler.ofText((payload, ctx) ->
                calls.incrementAndGet() < 3 ? "{\"status\":\"InProgress\"}" : "{\"status\":\"Succeeded\"}"));
        String event = "{\"deploymentId\":\"d-1\",\"lifecycleStage\":\"PRE_TRAFFIC\"}";

        List<String> statuses = new ArrayList<>();
        for (int attempt = 0; attempt < 10; attempt++) {
            String answer = invoke("pre-traffic-hook", event).payload().asUtf8String();
            statuses.add(answer);
            if (answer.contains("Succeeded")) {
                break;
            }
        }

        assertThat(statuses).containsExactly("{\"status\":\"InProgress\"}", "{\"status\":\"InProgress\"}",
                "{\"status\":\"Succeeded\"}");
        assertThat(sim.lambda().invocations("pre-traffic-hook")).hasSize(3)
                .allSatisfy(i -> assertThat(i.payloadAsString()).isEqualTo(event))
                .allSatisfy(i -> assertThat(i.invocationType())
                        .isEqualTo(io.ecsbluegreen.sim.lambda.InvocationType.RequestResponse));
        assertThat(sim.stats().calls("lambda", "Invoke")).isEqualTo(3);
    }

    @Test
    void anUnknownFunctionIsResourceNotFoundAsAwsAnswers() {
        assertThatThrownBy(() -> invoke("missing", "{}"))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Function not found: " + ARN + "missing");
                });
        assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("missing").qualifier("live")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Function not found: " + ARN + "missing:live");
    }

    @Test
    void errorsCarryLambdasBodyAndErrorTypeHeader() {
        HttpResponse<String> response = new RawHttp(sim).send("POST", "/2015-03-31/functions/nope/invocations",
                Map.of("Authorization", RawHttp.authorization("lambda")), "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains("ResourceNotFoundException");
        assertThat(response.body()).isEqualTo("{\"Type\":\"User\",\"Message\":\"Function not found: "
                + "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:nope\"}");
    }

    @Test
    void theFunctionNameMayBeANamePartialArnOrFullArnWithOrWithoutQualifier() {
        LambdaFunction function = sim.lambda().register("hook", LambdaHandler.ofText((payload, ctx) ->
                "\"" + ctx.executedVersion() + "\""));
        String v1 = function.publishVersion();
        function.alias("live", v1);

        assertThat(invoke("hook", "{}").executedVersion()).isEqualTo("$LATEST");
        assertThat(invoke(ACCOUNT + ":function:hook", "{}").executedVersion()).isEqualTo("$LATEST");
        assertThat(invoke(ARN + "hook", "{}").executedVersion()).isEqualTo("$LATEST");
        assertThat(invoke("hook:live", "{}").executedVersion()).isEqualTo("1");
        assertThat(invoke(ARN + "hook:live", "{}").executedVersion()).isEqualTo("1");
        assertThat(invoke(ACCOUNT + ":function:hook:1", "{}").executedVersion()).isEqualTo("1");
        assertThat(invoke(ARN + "hook:$LATEST", "{}").payload().asUtf8String()).isEqualTo("\"$LATEST\"");
    }

    @Test
    void aQualifierSelectsAPublishedVersionOrAnAliasWithTheCodeItHad() {
        LambdaFunction function = sim.lambda().register("deployer", LambdaHandler.returning("\"v1 code\""));
        String v1 = function.publishVersion();
        function.handler(LambdaHandler.returning("\"v2 code\""));
        String v2 = function.publishVersion();
        function.handler(LambdaHandler.returning("\"latest code\""));
        function.alias("live", v1).alias("next", v2);

        assertThat(lambda.invoke(b -> b.functionName("deployer").qualifier("1")).payload().asUtf8String())
                .isEqualTo("\"v1 code\"");
        InvokeResponse next = lambda.invoke(b -> b.functionName("deployer").qualifier("next"));
        assertThat(next.payload().asUtf8String()).isEqualTo("\"v2 code\"");
        assertThat(next.executedVersion()).isEqualTo("2");
        assertThat(lambda.invoke(b -> b.functionName("deployer")).payload().asUtf8String()).isEqualTo("\"latest code\"");

        function.alias("live", v2);
        assertThat(lambda.invoke(b -> b.functionName("deployer").qualifier("live")).executedVersion()).isEqualTo("2");
        assertThat(sim.lambda().invocations("deployer")).extracting(Invocation::qualifier, Invocation::executedVersion)
                .containsExactly(tuple("1", "1"),
                        tuple("next", "2"),
                        tuple(null, "$LATEST"),
                        tuple("live", "2"));
    }

    @Test
    void anUnknownQualifierIsNotFoundAndAConflictingOneIsInvalid() {
        sim.lambda().register("hook", LambdaHandler.returning("{}")).publishVersion();

        assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("hook").qualifier("7")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining(ARN + "hook:7");
        assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("hook:1").qualifier("$LATEST")))
                .isInstanceOfSatisfying(InvalidParameterValueException.class, e -> assertThat(e.getMessage())
                        .contains("The derived qualifier from the function name does not match the specified qualifier."));
    }

    @Test
    void aMalformedFunctionNameFailsValidation() {
        assertThatThrownBy(() -> invoke("not a name", "{}"))
                .isInstanceOfSatisfying(LambdaException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                });
    }

    @Test
    void dryRunChecksTheFunctionWithoutRunningIt() {
        AtomicInteger runs = new AtomicInteger();
        sim.lambda().register("hook", (payload, ctx) -> {
            runs.incrementAndGet();
            return null;
        });

        InvokeResponse response = lambda.invoke(b -> b.functionName("hook").invocationType(InvocationType.DRY_RUN));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.payload().asByteArray()).isEmpty();
        assertThat(runs).hasValue(0);
        assertThat(sim.lambda().invocations("hook")).isEmpty();
        assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("ghost").invocationType(InvocationType.DRY_RUN)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void anEventInvocationAnswers202AtOnceAndRunsInTheBackground() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        sim.lambda().register("notifier", (payload, ctx) -> {
            release.await(5, TimeUnit.SECONDS);
            done.countDown();
            return null;
        });

        InvokeResponse response = lambda.invoke(b -> b.functionName("notifier")
                .invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String("{\"event\":1}")));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.payload().asByteArray()).isEmpty();
        assertThat(done.getCount()).isEqualTo(1);
        assertThat(sim.lambda().invocations("notifier")).singleElement().satisfies(i -> {
            assertThat(i.invocationType()).isEqualTo(io.ecsbluegreen.sim.lambda.InvocationType.Event);
            assertThat(i.payloadAsString()).isEqualTo("{\"event\":1}");
        });
        release.countDown();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void logTypeTailAnswersTheBase64LogTail() {
        sim.lambda().register("chatty", (payload, ctx) -> {
            ctx.log("checking target group health");
            return "{}".getBytes(StandardCharsets.UTF_8);
        });

        InvokeResponse response = lambda.invoke(b -> b.functionName("chatty").logType(LogType.TAIL));

        String log = new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
        String requestId = response.responseMetadata().requestId();
        assertThat(log).startsWith("START RequestId: " + requestId + " Version: $LATEST\n"
                + "checking target group health\nEND RequestId: " + requestId + "\nREPORT RequestId: " + requestId
                + "\tDuration: ");
    }

    @Test
    void aPayloadThatIsNotJsonIsRejected() {
        sim.lambda().register("hook", LambdaHandler.returning("{}"));

        assertThatThrownBy(() -> invoke("hook", "not json"))
                .isInstanceOfSatisfying(InvalidRequestContentException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(400))
                .hasMessageContaining("Could not parse request body into json");
        assertThat(sim.lambda().invocations("hook")).isEmpty();
    }

    @Test
    void aMissingPayloadReachesTheFunctionAsAnEmptyObject() {
        sim.lambda().register("echo", (payload, ctx) -> payload);

        assertThat(lambda.invoke(b -> b.functionName("echo")).payload().asUtf8String()).isEqualTo("{}");
    }

    @Test
    void aHandlerReturningNothingAnswersNull() {
        sim.lambda().register("void", (payload, ctx) -> null);

        assertThat(invoke("void", "{}").payload().asUtf8String()).isEqualTo("null");
    }

    @Test
    void getFunctionDescribesARegisteredFunctionAndItsVersions() {
        LambdaFunction function = sim.lambda().register("hook", LambdaHandler.returning("{}"))
                .timeout(Duration.ofSeconds(30));
        function.alias("live", function.publishVersion());

        GetFunctionResponse latest = lambda.getFunction(b -> b.functionName("hook"));
        FunctionConfiguration viaAlias = lambda.getFunction(b -> b.functionName("hook").qualifier("live")).configuration();
        GetFunctionConfigurationResponse config = lambda.getFunctionConfiguration(b -> b.functionName(ARN + "hook"));

        assertThat(latest.configuration().functionName()).isEqualTo("hook");
        assertThat(latest.configuration().functionArn()).isEqualTo(ARN + "hook");
        assertThat(latest.configuration().version()).isEqualTo("$LATEST");
        assertThat(latest.configuration().timeout()).isEqualTo(30);
        assertThat(latest.configuration().memorySize()).isEqualTo(128);
        assertThat(latest.configuration().stateAsString()).isEqualTo("Active");
        assertThat(latest.configuration().lastModified()).isEqualTo("2025-03-01T12:00:00.000+0000");
        assertThat(latest.code().repositoryType()).isEqualTo("S3");
        assertThat(viaAlias.functionArn()).isEqualTo(ARN + "hook:live");
        assertThat(viaAlias.version()).isEqualTo("1");
        assertThat(config.functionName()).isEqualTo("hook");
        assertThatThrownBy(() -> lambda.getFunction(b -> b.functionName("nope")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void listFunctionsPagesThroughRegisteredFunctionsInNameOrder() {
        for (String name : List.of("c-hook", "a-hook", "b-hook")) {
            sim.lambda().register(name, LambdaHandler.returning("{}"));
        }

        ListFunctionsResponse first = lambda.listFunctions(b -> b.maxItems(2));
        ListFunctionsResponse second = lambda.listFunctions(b -> b.maxItems(2).marker(first.nextMarker()));

        assertThat(first.functions()).extracting(FunctionConfiguration::functionName).containsExactly("a-hook", "b-hook");
        assertThat(first.nextMarker()).isNotNull();
        assertThat(second.functions()).extracting(FunctionConfiguration::functionName).containsExactly("c-hook");
        assertThat(second.nextMarker()).isNull();
        assertThat(lambda.listFunctionsPaginator(b -> b.maxItems(1)).functions())
                .extracting(FunctionConfiguration::functionName).containsExactly("a-hook", "b-hook", "c-hook");
    }

    @Test
    void createFunctionAndDeleteFunctionManageFunctionsThroughTheApi() {
        CreateFunctionResponse created = lambda.createFunction(b -> b.functionName("api-made")
                .role("arn:aws:iam::" + ACCOUNT + ":role/lambda-exec")
                .runtime(Runtime.PYTHON3_12).handler("app.handler").timeout(15).description("from the API")
                .code(c -> c.zipFile(SdkBytes.fromUtf8String("not really a zip")))
                .tags(Map.of("team", "platform")));

        assertThat(created.functionArn()).isEqualTo(ARN + "api-made");
        assertThat(created.timeout()).isEqualTo(15);
        assertThat(created.codeSize()).isEqualTo(16);
        assertThat(sim.lambda().function("api-made")).isPresent();
        assertThat(invoke("api-made", "{}").payload().asUtf8String()).isEqualTo("null");
        assertThat(lambda.getFunction(b -> b.functionName("api-made")).tags()).containsEntry("team", "platform");
        assertThatThrownBy(() -> lambda.createFunction(b -> b.functionName("api-made")
                .role("arn:aws:iam::" + ACCOUNT + ":role/lambda-exec").runtime(Runtime.PYTHON3_12)
                .handler("app.handler").code(c -> c.zipFile(SdkBytes.fromUtf8String("zip")))))
                .isInstanceOfSatisfying(ResourceConflictException.class, e -> assertThat(e.statusCode()).isEqualTo(409));

        lambda.deleteFunction(b -> b.functionName("api-made"));

        assertThat(sim.lambda().function("api-made")).isEmpty();
        assertThatThrownBy(() -> lambda.deleteFunction(b -> b.functionName("api-made")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void createFunctionWithPublishAnswersVersionOneAndDeleteFunctionMayDeleteAVersion() {
        CreateFunctionResponse created = lambda.createFunction(b -> b.functionName("published")
                .role("arn:aws:iam::" + ACCOUNT + ":role/lambda-exec").runtime(Runtime.JAVA17)
                .handler("example.Handler::handleRequest").publish(true)
                .code(c -> c.zipFile(SdkBytes.fromUtf8String("zip"))));

        assertThat(created.version()).isEqualTo("1");
        assertThat(created.functionArn()).isEqualTo(ARN + "published:1");

        lambda.deleteFunction(b -> b.functionName("published").qualifier("1"));

        assertThat(sim.lambda().function("published").orElseThrow().versions()).isEmpty();
        assertThatThrownBy(() -> lambda.deleteFunction(b -> b.functionName("published").qualifier("$LATEST")))
                .isInstanceOf(InvalidParameterValueException.class);
    }

    @Test
    void createFunctionRequiresRuntimeAndHandlerForZipPackages() {
        assertThatThrownBy(() -> lambda.createFunction(b -> b.functionName("incomplete")
                .role("arn:aws:iam::" + ACCOUNT + ":role/lambda-exec")
                .code(c -> c.zipFile(SdkBytes.fromUtf8String("zip")))))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageContaining("Runtime and Handler are mandatory parameters");
    }

    @Test
    void throttlingAnswersTooManyRequests() {
        sim.lambda().register("hook", LambdaHandler.returning("{}"));
        sim.throttling().set(ThrottleRule.of("invoke", "lambda:Invoke", 1, 1));

        invoke("hook", "{}");

        assertThatThrownBy(() -> invoke("hook", "{}"))
                .isInstanceOfSatisfying(TooManyRequestsException.class, e -> assertThat(e.statusCode()).isEqualTo(429));
        assertThat(sim.lambda().invocationCount("hook")).isEqualTo(1);
    }

    @Test
    void anInjectedFaultIsLambdasServiceException() {
        sim.lambda().register("hook", LambdaHandler.returning("{}"));
        sim.faults().add(FaultRule.errors("lambda:Invoke", 1.0));

        assertThatThrownBy(() -> invoke("hook", "{}"))
                .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
        assertThat(sim.lambda().invocations("hook")).isEmpty();
    }

    @Test
    void urlFunctionsAcceptOnlyLoopbackHttpUrls() {
        assertThatThrownBy(() -> sim.lambda().registerUrl("remote", URI.create("http://192.0.2.1/hook")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.lambda().registerUrl("tls", URI.create("https://127.0.0.1/hook")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
