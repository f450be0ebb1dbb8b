package io.ecsbluegreen.sim.sts;

import io.ecsbluegreen.sim.protocol.AwsDates;
import io.ecsbluegreen.sim.protocol.AwsErrorException;
import io.ecsbluegreen.sim.protocol.Protocol;
import io.ecsbluegreen.sim.protocol.QueryActions;
import io.ecsbluegreen.sim.protocol.QueryXml;
import io.ecsbluegreen.sim.protocol.ServiceHandler;
import io.ecsbluegreen.sim.protocol.SimRequest;
import io.ecsbluegreen.sim.protocol.SimResponse;
import io.ecsbluegreen.sim.protocol.Xml;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/** STS over the Query protocol: GetCallerIdentity and AssumeRole. */
public final class StsService implements ServiceHandler {

    static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static final Set<String> ACTIONS = Set.of("GetCallerIdentity", "AssumeRole");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final int MIN_DURATION_SECONDS = 900;
    private static final int MAX_DURATION_SECONDS = 43_200;
    private static final int DEFAULT_DURATION_SECONDS = 3_600;

    private final StsStore store;

    public StsService(StsStore store) {
        this.store = store;
    }

    @Override
    public String signingName() {
        return "sts";
    }

    @Override
    public Protocol protocol() {
        return Protocol.QUERY;
    }

    @Override
    public String xmlNamespace() {
        return NAMESPACE;
    }

    @Override
    public Set<String> queryActions() {
        return ACTIONS;
    }

    @Override
    public String resolveAction(SimRequest request) {
        return QueryActions.resolve(request, ACTIONS, "2011-06-15");
    }

    @Override
    public SimResponse handle(String action, SimRequest request) {
        return switch (action) {
            case "GetCallerIdentity" -> getCallerIdentity(request);
            case "AssumeRole" -> assumeRole(request);
            default -> throw new IllegalStateException("unresolved action " + action);
        };
    }

    private SimResponse getCallerIdentity(SimRequest request) {
        CallerIdentity identity = store.callerIdentity(request.accessKeyId());
        Xml xml = QueryXml.result("GetCallerIdentity", NAMESPACE)
                .element("Arn", identity.arn())
                .element("UserId", identity.userId())
                .element("Account", identity.account());
        return QueryXml.finish(xml, request.requestId());
    }

    private SimResponse assumeRole(SimRequest request) {
        String roleArn = request.param("RoleArn");
        String sessionName = request.param("RoleSessionName");
        if (roleArn == null) {
            throw validation("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
        }
        if (sessionName == null) {
            throw validation("Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
        }
        if (!ROLE_ARN.matcher(roleArn).matches()) {
            throw new AwsErrorException(400, "ValidationError", roleArn + " is invalid");
        }
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            throw validation("Value '" + sessionName + "' at 'roleSessionName' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64");
        }
        int seconds = durationSeconds(request.param("DurationSeconds"));
        if (!store.allowed(roleArn, request.param("ExternalId"))) {
            CallerIdentity caller = store.callerIdentity(request.accessKeyId());
            throw new AwsErrorException(403, "AccessDenied", "User: " + caller.arn()
                    + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
        }
        AssumedRoleSession session = store.assumeRole(roleArn, sessionName, Duration.ofSeconds(seconds));
        Xml xml = QueryXml.result("AssumeRole", NAMESPACE)
                .start("Credentials")
                .element("AccessKeyId", session.accessKeyId())
                .element("SecretAccessKey", session.secretAccessKey())
                .element("SessionToken", session.sessionToken())
                .element("Expiration", AwsDates.iso8601(session.expiration()))
                .end()
                .start("AssumedRoleUser")
                .element("AssumedRoleId", session.assumedRoleId())
                .element("Arn", session.assumedRoleArn())
                .end()
                .element("SourceIdentity", request.param("SourceIdentity"));
        return QueryXml.finish(xml, request.requestId());
    }

    private static int durationSeconds(String value) {
        if (value == null) {
            return DEFAULT_DURATION_SECONDS;
        }
        try {
            int seconds = Integer.parseInt(value);
            if (seconds >= MIN_DURATION_SECONDS && seconds <= MAX_DURATION_SECONDS) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw validation("Value '" + value + "' at 'durationSeconds' failed to satisfy constraint: "
                + "Member must have value between " + MIN_DURATION_SECONDS + " and " + MAX_DURATION_SECONDS);
    }

    private static AwsErrorException validation(String constraint) {
        return new AwsErrorException(400, "ValidationError", "1 validation error detected: " + constraint);
    }
}
