package io.ecsbluegreen.sim.lambda;

import io.ecsbluegreen.spec.JsonReader;
import io.ecsbluegreen.sim.protocol.AwsErrorException;
import io.ecsbluegreen.sim.protocol.Encoding;
import io.ecsbluegreen.sim.protocol.Protocol;
import io.ecsbluegreen.sim.protocol.ServiceHandler;
import io.ecsbluegreen.sim.protocol.SimRequest;
import io.ecsbluegreen.sim.protocol.SimResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * AWS Lambda over REST JSON: Invoke, GetFunction, GetFunctionConfiguration, ListFunctions,
 * CreateFunction and DeleteFunction.
 */
public final class LambdaService implements ServiceHandler {

    private static final String API_VERSION = "2015-03-31";
    private static final String JSON = "application/json";
    private static final int MAX_SYNC_PAYLOAD = 6_291_456;
    private static final int MAX_ASYNC_PAYLOAD = 1_048_576;
    private static final int LIST_PAGE_CAP = 50;
    private static final String DEFAULT_REGION = "us-east-1";
    private static final DateTimeFormatter LAST_MODIFIED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern ROLE = Pattern.compile("arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");
    private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z0-9-_]{1,64}");

    private final LambdaStore store;

    public LambdaService(LambdaStore store) {
        this.store = store;
    }

    @Override
    public String signingName() {
        return "lambda";
    }

    @Override
    public Protocol protocol() {
        return Protocol.REST_JSON;
    }

    /** Lambda reports its own failures as {@code ServiceException}, whatever the 5xx status. */
    @Override
    public AwsErrorException serverError(int status) {
        return new AwsErrorException(status, "ServiceException", "The AWS Lambda service encountered an internal error.");
    }

    /** Lambda's error body: {@code {"Type":"User","Message":"..."}} and the error code in a header. */
    @Override
    public SimResponse renderError(AwsErrorException error, SimRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Type", error.senderFault() ? "User" : "Service");
        body.put("Message", error.errorMessage());
        return SimResponse.json(error.status(), JSON, JsonWriter.write(body))
                .withHeader("x-amzn-ErrorType", error.code());
    }

    @Override
    public String resolveAction(SimRequest request) {
        List<String> segments = segments(request);
        String method = request.method();
        if (segments.size() >= 2 && segments.get(0).equals(API_VERSION) && segments.get(1).equals("functions")) {
            switch (segments.size()) {
                case 2 -> {
                    if (method.equals("GET")) {
                        return "ListFunctions";
                    }
                    if (method.equals("POST")) {
                        return "CreateFunction";
                    }
                }
                case 3 -> {
                    if (method.equals("GET")) {
                        return "GetFunction";
                    }
                    if (method.equals("DELETE")) {
                        return "DeleteFunction";
                    }
                }
                case 4 -> {
                    if (method.equals("POST") && segments.get(3).equals("invocations")) {
                        return "Invoke";
                    }
                    if (method.equals("GET") && segments.get(3).equals("configuration")) {
                        return "GetFunctionConfiguration";
                    }
                }
                default -> {
                    // answered below
                }
            }
        }
        throw new AwsErrorException(501, "NotImplemented",
                "The simulator does not implement the Lambda API " + method + " " + request.rawPath() + ".");
    }

    @Override
    public SimResponse handle(String action, SimRequest request) {
        return switch (action) {
            case "Invoke" -> invoke(request);
            case "GetFunction" -> getFunction(request, true);
            case "GetFunctionConfiguration" -> getFunction(request, false);
            case "ListFunctions" -> listFunctions(request);
            case "CreateFunction" -> createFunction(request);
            case "DeleteFunction" -> deleteFunction(request);
            default -> throw new IllegalStateException("unresolved action " + action);
        };
    }

    // ---- Invoke ----

    private SimResponse invoke(SimRequest request) {
        String region = region(request);
        Target target = target(request, region);
        InvocationType type = enumHeader(request, "X-Amz-Invocation-Type", InvocationType.class,
                InvocationType.RequestResponse, "invocationType");
        String logType = request.header("X-Amz-Log-Type");
        if (logType != null && !logType.equals("None") && !logType.equals("Tail")) {
            throw validation("Value '" + logType + "' at 'logType' failed to satisfy constraint: Member must satisfy "
                    + "enum value set: [None, Tail]");
        }
        byte[] payload = request.body();
        int limit = type == InvocationType.Event ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
        if (payload.length > limit) {
            throw new AwsErrorException(413, "RequestTooLargeException",
                    "Request must be smaller than " + limit + " bytes for the InvokeFunction operation");
        }
        if (payload.length == 0) {
            payload = "{}".getBytes(StandardCharsets.UTF_8);
        } else {
            try {
                JsonReader.parse(new String(payload, StandardCharsets.UTF_8));
            } catch (JsonReader.JsonException e) {
                throw new AwsErrorException(400, "InvalidRequestContentException",
                        "Could not parse request body into json: Could not parse payload into json: " + e.getMessage());
            }
        }
        if (type == InvocationType.DryRun) {
            return SimResponse.empty(204);
        }
        InvocationContext context = new InvocationContext(target.function.name(), target.invokedArn,
                target.qualifier, target.version.version(), request.requestId(), type, target.version.timeout(),
                store.clock().instant());
        store.record(new Invocation(target.function.name(), target.qualifier, target.version.version(), type,
                request.requestId(), payload.clone(), context.startTime()));
        if (type == InvocationType.Event) {
            store.invokeAsync(context, target.version, payload);
            return SimResponse.empty(202);
        }
        LambdaStore.Result result = store.invoke(context, target.version, payload);
        SimResponse response = new SimResponse(200, Map.of("Content-Type", JSON), result.payload())
                .withHeader("X-Amz-Executed-Version", target.version.version());
        if (result.functionError() != null) {
            response = response.withHeader("X-Amz-Function-Error", result.functionError());
        }
        if ("Tail".equals(logType)) {
            response = response.withHeader("X-Amz-Log-Result", result.logTail());
        }
        return response;
    }

    /** The function and version a request names through its path and {@code Qualifier}. */
    private record Target(LambdaFunction function, FunctionVersion version, String qualifier, String invokedArn) {}

    private Target target(SimRequest request, String region) {
        FunctionRef ref = FunctionRef.parse(segments(request).get(2));
        String qualifier = request.queryParam("Qualifier");
        if (qualifier != null && ref.qualifier() != null && !qualifier.equals(ref.qualifier())) {
            throw new AwsErrorException(400, "InvalidParameterValueException",
                    "The derived qualifier from the function name does not match the specified qualifier.");
        }
        if (qualifier == null) {
            qualifier = ref.qualifier();
        }
        String arn = store.functionArn(region, ref.name());
        String invokedArn = qualifier == null ? arn : arn + ":" + qualifier;
        boolean otherAccount = ref.account() != null && !ref.account().equals(store.accountId());
        Optional<LambdaFunction> function = otherAccount ? Optional.empty() : store.function(ref.name());
        if (function.isEmpty()) {
            throw notFound(invokedArn);
        }
        Optional<FunctionVersion> version = function.get().resolve(qualifier);
        if (version.isEmpty()) {
            throw notFound(invokedArn);
        }
        return new Target(function.get(), version.get(), qualifier, invokedArn);
    }

    // ---- GetFunction, GetFunctionConfiguration, ListFunctions ----

    private SimResponse getFunction(SimRequest request, boolean withCode) {
        String region = region(request);
        Target target = target(request, region);
        Map<String, Object> configuration = configuration(region, target.function, target.version, target.qualifier);
        if (!withCode) {
            return SimResponse.json(200, JSON, JsonWriter.write(configuration));
        }
        Map<String, Object> code = new LinkedHashMap<>();
        code.put("RepositoryType", "S3");
        code.put("Location", "https://awslambda-" + region + "-tasks.s3." + region + ".amazonaws.com/snapshots/"
                + store.accountId() + "/" + target.function.name() + "-" + target.version.revisionId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Configuration", configuration);
        body.put("Code", code);
        if (!target.function.tags().isEmpty()) {
            body.put("Tags", target.function.tags());
        }
        return SimResponse.json(200, JSON, JsonWriter.write(body));
    }

    private SimResponse listFunctions(SimRequest request) {
        String region = region(request);
        int maxItems = LIST_PAGE_CAP;
        String max = request.queryParam("MaxItems");
        if (max != null) {
            try {
                maxItems = Integer.parseInt(max);
            } catch (NumberFormatException e) {
                maxItems = -1;
            }
            if (maxItems < 1 || maxItems > 10_000) {
                throw validation("Value '" + max + "' at 'maxItems' failed to satisfy constraint: Member must have "
                        + "value between 1 and 10000");
            }
            maxItems = Math.min(maxItems, LIST_PAGE_CAP);
        }
        String functionVersion = request.queryParam("FunctionVersion");
        if (functionVersion != null && !functionVersion.equals("ALL")) {
            throw validation("Value '" + functionVersion + "' at 'functionVersion' failed to satisfy constraint: "
                    + "Member must satisfy enum value set: [ALL]");
        }
        List<Map<String, Object>> all = new ArrayList<>();
        for (LambdaFunction function : store.functions()) {
            List<FunctionVersion> versions = functionVersion != null ? function.allVersions()
                    : List.of(function.latest());
            for (FunctionVersion version : versions) {
                all.add(configuration(region, function, version,
                        LambdaFunction.LATEST.equals(version.version()) ? null : version.version()));
            }
        }
        int from = 0;
        String marker = request.queryParam("Marker");
        if (marker != null && !marker.isEmpty()) {
            try {
                from = Integer.parseInt(new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                from = -1;
            }
            if (from < 0) {
                throw new AwsErrorException(400, "InvalidParameterValueException", "Invalid marker: " + marker);
            }
        }
        int to = Math.min(all.size(), from + maxItems);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Functions", from >= all.size() ? List.of() : all.subList(from, to));
        if (to < all.size()) {
            body.put("NextMarker",
                    Base64.getUrlEncoder().withoutPadding().encodeToString(Integer.toString(to).getBytes(StandardCharsets.UTF_8)));
        }
        return SimResponse.json(200, JSON, JsonWriter.write(body));
    }

    private Map<String, Object> configuration(String region, LambdaFunction function, FunctionVersion version,
            String qualifier) {
        String arn = store.functionArn(region, function.name());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("FunctionName", function.name());
        c.put("FunctionArn", qualifier == null ? arn : arn + ":" + qualifier);
        c.put("Runtime", version.runtime());
        c.put("Role", version.role());
        c.put("Handler", version.handlerName());
        c.put("CodeSize", version.codeSize());
        c.put("Description", version.description());
        c.put("Timeout", Math.max(1, (version.timeout().toMillis() + 999) / 1000));
        c.put("MemorySize", version.memorySize());
        c.put("LastModified", LAST_MODIFIED.format(version.lastModified()));
        c.put("CodeSha256", version.codeSha256());
        c.put("Version", version.version());
        if (!version.environment().isEmpty()) {
            c.put("Environment", Map.of("Variables", version.environment()));
        }
        c.put("TracingConfig", Map.of("Mode", "PassThrough"));
        c.put("RevisionId", version.revisionId());
        c.put("State", "Active");
        c.put("LastUpdateStatus", "Successful");
        c.put("PackageType", "Zip");
        c.put("Architectures", List.of("x86_64"));
        c.put("EphemeralStorage", Map.of("Size", 512));
        Map<String, Object> logging = new LinkedHashMap<>();
        logging.put("LogFormat", "Text");
        logging.put("LogGroup", "/aws/lambda/" + function.name());
        c.put("LoggingConfig", logging);
        return c;
    }

    // ---- CreateFunction, DeleteFunction ----

    private SimResponse createFunction(SimRequest request) {
        Map<String, Object> body;
        try {
            body = JsonReader.parseObject(request.bodyAsString());
        } catch (JsonReader.JsonException e) {
            throw new AwsErrorException(400, "SerializationException", "Could not parse the request body: " + e.getMessage());
        }
        String name = string(body, "FunctionName");
        String role = string(body, "Role");
        if (name == null) {
            throw validation("Value null at 'functionName' failed to satisfy constraint: Member must not be null");
        }
        if (!FUNCTION_NAME.matcher(name).matches()) {
            throw validation("Value '" + name + "' at 'functionName' failed to satisfy constraint: Member must "
                    + "satisfy regular expression pattern: [a-zA-Z0-9-_]+ and have length less than or equal to 64");
        }
        if (role == null) {
            throw validation("Value null at 'role' failed to satisfy constraint: Member must not be null");
        }
        if (!ROLE.matcher(role).matches()) {
            throw validation("Value '" + role + "' at 'role' failed to satisfy constraint: Member must satisfy "
                    + "regular expression pattern: " + ROLE.pattern());
        }
        if (!(body.get("Code") instanceof Map<?, ?> code)) {
            throw validation("Value null at 'code' failed to satisfy constraint: Member must not be null");
        }
        String runtime = string(body, "Runtime");
        String handlerName = string(body, "Handler");
        if (!"Image".equals(body.get("PackageType")) && (runtime == null || handlerName == null)) {
            throw new AwsErrorException(400, "InvalidParameterValueException",
                    "Runtime and Handler are mandatory parameters for functions created with deployment packages.");
        }
        long timeoutSeconds = number(body, "Timeout", 3, 1, 900, "timeout");
        long memory = number(body, "MemorySize", 128, 128, 10_240, "memorySize");
        byte[] zip = new byte[0];
        if (code.get("ZipFile") instanceof String zipFile) {
            try {
                zip = Base64.getDecoder().decode(zipFile);
            } catch (IllegalArgumentException e) {
                throw new AwsErrorException(400, "InvalidParameterValueException",
                        "Could not unzip uploaded file. Please check your file, then try to upload again.");
            }
        }
        Map<String, String> environment = stringMap(body.get("Environment") instanceof Map<?, ?> env
                ? env.get("Variables") : null);
        Instant now = store.clock().instant();
        FunctionVersion latest = new FunctionVersion(LambdaFunction.LATEST, (payload, ctx) -> null, null,
                Duration.ofSeconds(timeoutSeconds), Optional.ofNullable(string(body, "Description")).orElse(""),
                runtime, handlerName, role, (int) memory, environment,
                LambdaStore.sha256Base64(zip.length > 0 ? zip : name.getBytes(StandardCharsets.UTF_8)), zip.length,
                now, UUID.randomUUID().toString());
        LambdaFunction function = store.create(name, latest, stringMap(body.get("Tags")));
        if (function == null) {
            throw new AwsErrorException(409, "ResourceConflictException", "Function already exist: " + name);
        }
        FunctionVersion answered = latest;
        String qualifier = null;
        if (Boolean.TRUE.equals(body.get("Publish"))) {
            qualifier = function.publishVersion();
            answered = function.version(qualifier).orElseThrow();
        }
        return SimResponse.json(201, JSON, JsonWriter.write(configuration(region(request), function, answered, qualifier)));
    }

    private SimResponse deleteFunction(SimRequest request) {
        String region = region(request);
        FunctionRef ref = FunctionRef.parse(segments(request).get(2));
        String qualifier = request.queryParam("Qualifier");
        if (qualifier == null) {
            qualifier = ref.qualifier();
        }
        String arn = store.functionArn(region, ref.name());
        LambdaFunction function = store.function(ref.name()).orElseThrow(() -> notFound(arn));
        if (qualifier == null) {
            store.remove(ref.name());
            return SimResponse.empty(204);
        }
        if (LambdaFunction.LATEST.equals(qualifier)) {
            throw new AwsErrorException(400, "InvalidParameterValueException",
                    "$LATEST version cannot be deleted without deleting the function.");
        }
        String version = qualifier;
        String problem = function.deleteVersion(version);
        if ("alias".equals(problem)) {
            throw new AwsErrorException(409, "ResourceConflictException",
                    "Unable to delete version because the following aliases reference it: "
                            + function.aliases().entrySet().stream().filter(e -> e.getValue().equals(version))
                                    .map(Map.Entry::getKey).toList());
        }
        if (problem != null) {
            throw notFound(arn + ":" + qualifier);
        }
        return SimResponse.empty(204);
    }

    // ---- helpers ----

    private static List<String> segments(SimRequest request) {
        List<String> segments = new ArrayList<>();
        for (String raw : request.rawPath().split("/")) {
            if (!raw.isEmpty()) {
                segments.add(Encoding.decodePath(raw));
            }
        }
        return segments;
    }

    private static String region(SimRequest request) {
        return request.scope().map(s -> s.region()).orElse(DEFAULT_REGION);
    }

    private static AwsErrorException notFound(String arn) {
        return new AwsErrorException(404, "ResourceNotFoundException", "Function not found: " + arn);
    }

    private static AwsErrorException validation(String constraint) {
        return new AwsErrorException(400, "ValidationException", "1 validation error detected: " + constraint);
    }

    private static <E extends Enum<E>> E enumHeader(SimRequest request, String header, Class<E> type, E fallback,
            String member) {
        String value = request.header(header);
        if (value == null) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name());
        }
        throw validation("Value '" + value + "' at '" + member + "' failed to satisfy constraint: Member must satisfy "
                + "enum value set: " + names);
    }

    private static String string(Map<String, Object> body, String field) {
        return body.get(field) instanceof String s ? s : null;
    }

    private static long number(Map<String, Object> body, String field, long fallback, long min, long max,
            String member) {
        Object value = body.get(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Long n) || n < min || n > max) {
            throw validation("Value '" + value + "' at '" + member + "' failed to satisfy constraint: Member must have "
                    + "value " + (min == 1 ? "greater than or equal to 1" : "between " + min + " and " + max)
                    + (min == 1 ? " and less than or equal to " + max : ""));
        }
        return n;
    }

    private static Map<String, String> stringMap(Object value) {
        Map<String, String> map = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> map.put(String.valueOf(k), String.valueOf(v)));
        }
        return map;
    }
}
