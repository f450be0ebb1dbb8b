package io.ecsbluegreen.model;

/**
 * The regular expressions behind the model's {@code @Pattern}s, named once so that the model, the
 * binder's messages and the schema share them. They follow the limits AWS documents for each name.
 */
public final class Patterns {
    private Patterns() {}

    private static final String PARTITION = "arn:aws[a-z-]*";

    /** Kubernetes-style object name: it appears in URLs, metric labels and AWS tags. */
    public static final String OBJECT_NAME = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    public static final String OBJECT_NAME_HINT = "1 to 63 lowercase letters, digits or hyphens, starting and ending with a letter or digit";

    public static final String ECS_NAME = "^[A-Za-z0-9_-]{1,255}$";
    public static final String ECS_NAME_HINT = "1 to 255 letters, digits, hyphens or underscores";

    public static final String CLUSTER = "^(" + PARTITION + ":ecs:[a-z0-9-]+:[0-9]{12}:cluster/)?[A-Za-z0-9_-]{1,255}$";
    public static final String CLUSTER_HINT = "a cluster name (1 to 255 letters, digits, hyphens or underscores) or a cluster ARN";

    public static final String REGION = "^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$";
    public static final String REGION_HINT = "an AWS region such as eu-west-1";

    public static final String ROLE_ARN = "^" + PARTITION + ":iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$";
    public static final String ROLE_ARN_HINT = "an IAM role ARN such as arn:aws:iam::123456789012:role/deployer";

    /** STS AssumeRole's ExternalId: {@code [\w+=,.@:\/-]*}, 2 to 1,224 characters. */
    public static final String EXTERNAL_ID = "^[A-Za-z0-9_+=,.@:/-]{2,1224}$";
    public static final String EXTERNAL_ID_HINT = "2 to 1224 letters, digits or + = , . @ : / _ -";

    public static final String TARGET_GROUP = "^(" + PARTITION
            + ":elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}"
            + "|[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?)$";
    public static final String TARGET_GROUP_HINT = "a target group ARN, or a target group name of 1 to 32 letters, digits or hyphens";

    public static final String LISTENER_ARN = "^" + PARTITION
            + ":elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:listener/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}$";
    public static final String LISTENER_ARN_HINT = "an Application Load Balancer listener ARN";

    public static final String RULE_ARN = "^" + PARTITION
            + ":elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:listener-rule/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}/[0-9a-f]{16}$";
    public static final String RULE_ARN_HINT = "an Application Load Balancer listener rule ARN";

    public static final String TASK_DEFINITION_REF = "^(" + PARTITION
            + ":ecs:[a-z0-9-]+:[0-9]{12}:task-definition/)?[A-Za-z0-9_-]{1,255}:[0-9]{1,9}$";
    public static final String TASK_DEFINITION_REF_HINT = "a task definition ARN or family:revision (a revision is required so that a rollout is repeatable)";

    public static final String SUBNET = "^subnet-[0-9a-f]{8,17}$";
    public static final String SUBNET_HINT = "a subnet id such as subnet-0123456789abcdef0";

    public static final String SECURITY_GROUP = "^sg-[0-9a-f]{8,17}$";
    public static final String SECURITY_GROUP_HINT = "a security group id such as sg-0123456789abcdef0";

    public static final String IMAGE = "^[A-Za-z0-9._/:@#-]{1,255}$";
    public static final String IMAGE_HINT = "an image reference of up to 255 letters, digits and . _ / : @ # -";

    public static final String ENV_NAME = "^[A-Za-z_][A-Za-z0-9_]*$";
    public static final String ENV_NAME_HINT = "a variable name: letters, digits and underscores, not starting with a digit";

    public static final String SECRET_REF = "^(" + PARTITION + ":(secretsmanager|ssm):\\S+|[A-Za-z0-9_./-]{1,2048})$";
    public static final String SECRET_REF_HINT = "a Secrets Manager or SSM parameter ARN, or an SSM parameter name";

    public static final String ALARM_NAME = "^[ -~]{1,255}$";
    public static final String ALARM_NAME_HINT = "a CloudWatch alarm name of 1 to 255 printable ASCII characters";

    public static final String LAMBDA_FUNCTION = "^([A-Za-z0-9_-]{1,64}|" + PARTITION
            + ":lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]{1,128})?)$";
    public static final String LAMBDA_FUNCTION_HINT = "a Lambda function name (1 to 64 letters, digits, hyphens or underscores) or ARN";

    public static final String LAMBDA_QUALIFIER = "^(\\$LATEST|[A-Za-z0-9_-]{1,128})$";
    public static final String LAMBDA_QUALIFIER_HINT = "$LATEST, a version number or an alias name";

    public static final String HOOK_URL = "^(https?://|\\{(testEndpoint|productionEndpoint)\\})\\S*$";
    public static final String HOOK_URL_HINT = "an http(s) URL, or one starting with {testEndpoint} or {productionEndpoint}";

    /** A DNS host name (RFC 1123 labels, at most 253 characters); no wildcard, since a TLS peer names one host. */
    public static final String HOST_NAME = "^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$";
    public static final String HOST_NAME_HINT = "a DNS host name such as shop.example.com (no wildcard, no port)";

    public static final String HTTP_URL = "^https?://\\S+$";
    public static final String HTTP_URL_HINT = "an http(s) URL";

    public static final String LABEL_KEY = "^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";
    public static final String LABEL_KEY_HINT = "an optional DNS prefix and slash, then up to 63 letters, digits, - _ or .";

    public static final String TAG_KEY = "^(?!aws:|ecsbluegreen\\.io/)[A-Za-z0-9 _.:/=+@-]{1,128}$";
    public static final String TAG_KEY_HINT = "1 to 128 letters, digits, spaces or _ . : / = + @ -, not starting with aws: or ecsbluegreen.io/ (reserved)";

    public static final String CONTAINER_PLATFORM_VERSION = "^(LATEST|[0-9]+\\.[0-9]+\\.[0-9]+)$";
    public static final String CONTAINER_PLATFORM_VERSION_HINT = "LATEST or a version such as 1.4.0";
}
