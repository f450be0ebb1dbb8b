# ecs-bluegreen-operator on Amazon ECS (Fargate): replicas of the operator, their lease table, log group, a task role
# with the least-privilege policy of deploy/iam-policy.json and an execution role.

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition = data.aws_partition.current.partition
  # the provider's region, read from an ARN the module creates: the same with AWS provider 5 and 6
  region = provider::aws::arn_parse(aws_cloudwatch_log_group.operator.arn).region

  # deploy/iam-policy.json is the one source of the operator's permissions (CloudFormation carries the
  # same statements, checked by a test); its ${...} placeholders are filled here.
  iam_policy = jsondecode(templatefile("${path.module}/../iam-policy.json", {
    Partition          = local.partition
    AccountId          = data.aws_caller_identity.current.account_id
    ManagedClusterName = var.managed_cluster_name
    LoadBalancerName   = var.load_balancer_name
    TargetGroupName    = var.target_group_name
    AlarmName          = var.alarm_name
    HookFunctionName   = var.hook_function_name
    PassRoleName       = var.pass_role_name
    AssumeRoleName     = var.assume_role_name
    SourceBucket       = var.source_bucket
    SourcePrefix       = var.source_prefix
    EventsQueueName    = var.events_queue_name
    LeaseTableName     = var.lease_table_name
  }))

  # without an S3 source the S3 statements (Sid S3...) would name a bucket that is not there
  task_role_policy = jsonencode(merge(local.iam_policy, {
    Statement = [for s in local.iam_policy.Statement : s if var.source_bucket != "" || !startswith(s.Sid, "S3")]
  }))

  # container environment variable name to Secrets Manager ARN; the execution role may read exactly these
  secrets = { for name, arn in {
    BLUEGREEN_API_TOKEN = var.api_token_secret_arn
    GIT_TOKEN           = var.git_token_secret_arn
  } : name => arn if arn != null }

  # Replicas share the services through leases in the lease table; each names itself by its host name
  # (the task's), see docs/operating.md#replicas.
  environment = merge({
    QUARKUS_HTTP_HOST        = "0.0.0.0"
    BLUEGREEN_SOURCES        = var.source_uri
    BLUEGREEN_AWS_REGION     = local.region
    BLUEGREEN_LEASES_ENABLED = "true"
    BLUEGREEN_LEASES_TABLE   = aws_dynamodb_table.leases.name
    # AWS events wake the services they concern at once (docs/events.md)
    BLUEGREEN_EVENTS_ENABLED   = "true"
    BLUEGREEN_EVENTS_QUEUE_URL = aws_sqs_queue.events.url
  }, var.environment)
}

# The replicas' leases: one item per service and per replica, lasting seconds.
resource "aws_dynamodb_table" "leases" {
  name         = var.lease_table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  tags = var.tags
}

resource "aws_cloudwatch_log_group" "operator" {
  name              = "/ecs/${var.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

# ---- execution role: pull the image, write logs, read the secrets ---------------------------------

resource "aws_iam_role" "execution" {
  name_prefix        = "${substr(var.name, 0, 28)}-exec-"
  description        = "Lets ECS pull the operator's image, write its logs and read its secrets."
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "execution_secrets" {
  count = length(local.secrets) == 0 ? 0 : 1
  name  = "read-secrets"
  role  = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "ReadOperatorSecrets"
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = values(local.secrets)
    }]
  })
}

# ---- task role: what the operator may do in AWS ---------------------------------------------------

resource "aws_iam_role" "task" {
  name_prefix        = "${substr(var.name, 0, 28)}-task-"
  description        = "What the operator may do in AWS; the statements of deploy/iam-policy.json."
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "task" {
  name   = "bluegreen-operator"
  role   = aws_iam_role.task.id
  policy = local.task_role_policy
}

# ---- the task and the service ---------------------------------------------------------------------

resource "aws_ecs_task_definition" "operator" {
  family                   = var.name
  cpu                      = var.cpu
  memory                   = var.memory
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  container_definitions = jsonencode([{
    name      = "operator"
    image     = var.image
    essential = true
    # the image's entrypoint is the bluegreen command; `run` starts the long-lived operator
    command = ["run"]
    # the image's non-root user (jboss, uid 185), set again so a custom image cannot run as root
    user         = "185"
    portMappings = [{ name = "http", containerPort = 8080, protocol = "tcp" }]
    environment  = [for k, v in local.environment : { name = k, value = v }]
    secrets      = [for name, arn in local.secrets : { name = name, valueFrom = arn }]
    # liveness only (/q/health/live): /q/health also reports the sources' readiness, and a git outage
    # must not restart the operator. Bash's /dev/tcp, as the base image has no curl.
    healthCheck = {
      command     = ["CMD-SHELL", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /q/health/live HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
      interval    = 30
      timeout     = 5
      retries     = 3
      startPeriod = 60
    }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.operator.name
        awslogs-region        = local.region
        awslogs-stream-prefix = "operator"
      }
    }
  }])

  tags = var.tags
}

resource "aws_ecs_service" "operator" {
  name            = var.name
  cluster         = var.cluster
  task_definition = aws_ecs_task_definition.operator.arn
  launch_type     = "FARGATE"

  # Replicas share the services through leases (docs/operating.md#replicas). A deployment replaces one
  # task at a time; a stopped task releases its leases and another replica takes them over at once.
  desired_count                      = var.replicas
  deployment_maximum_percent         = 100
  deployment_minimum_healthy_percent = 50

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = var.security_group_ids
    assign_public_ip = var.assign_public_ip
  }

  enable_ecs_managed_tags = true
  propagate_tags          = "SERVICE"
  tags                    = var.tags
}

# ---- AWS events: EventBridge rule -> SQS queue -> the operator (docs/events.md) ----------------------

resource "aws_sqs_queue" "events" {
  name = var.events_queue_name
  # an event older than an hour is stale: the operator's fallback resync has looked at its service by then
  message_retention_seconds  = 3600
  visibility_timeout_seconds = 60
  receive_wait_time_seconds  = 20
  sqs_managed_sse_enabled    = true
  tags                       = var.tags
}

resource "aws_cloudwatch_event_rule" "events" {
  name        = "${var.name}-events"
  description = "ECS task and service events, CloudWatch alarm state changes and S3 object events, for ecs-bluegreen-operator."
  event_pattern = jsonencode({
    source = ["aws.ecs", "aws.cloudwatch", "aws.s3"]
    detail-type = [
      "ECS Task State Change", "ECS Service Action", "ECS Deployment State Change",
      "CloudWatch Alarm State Change", "Object Created", "Object Deleted",
    ]
  })
  tags = var.tags
}

resource "aws_cloudwatch_event_target" "events" {
  rule      = aws_cloudwatch_event_rule.events.name
  target_id = "bluegreen-events"
  arn       = aws_sqs_queue.events.arn
}

data "aws_iam_policy_document" "events_queue" {
  statement {
    sid       = "EventBridgeSendsEvents"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.events.arn]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.events.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "events" {
  queue_url = aws_sqs_queue.events.id
  policy    = data.aws_iam_policy_document.events_queue.json
}
