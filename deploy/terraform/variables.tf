# ---- the operator ---------------------------------------------------------------------------------

variable "name" {
  description = "Name of the ECS service, task definition family, log group (/ecs/NAME) and roles."
  type        = string
  default     = "bluegreen-operator"
}

variable "image" {
  description = "The operator's container image (built with `./mvnw package -Pcontainer-image`, see deploy/README.md)."
  type        = string
}

variable "source_uri" {
  description = "Where the desired state lives (bluegreen.sources): git:https://...?branch=main&path=services, s3://bucket/prefix/, or a comma-separated list."
  type        = string
}

variable "git_token_secret_arn" {
  description = "Optional Secrets Manager secret holding an HTTPS token of a private git source, given to the container as GIT_TOKEN (add tokenEnv=GIT_TOKEN to source_uri)."
  type        = string
  default     = null
}

variable "api_token_secret_arn" {
  description = "Optional Secrets Manager secret holding the bearer token of the operator's mutating API (given to the container as BLUEGREEN_API_TOKEN)."
  type        = string
  default     = null
}

variable "environment" {
  description = "More environment variables of the operator (BLUEGREEN_SYNC_INTERVAL, BLUEGREEN_RECONCILE_WORKERS, ...; see docs/configuration.md)."
  type        = map(string)
  default     = {}
}

variable "cpu" {
  description = "Task CPU units."
  type        = number
  default     = 512
}

variable "memory" {
  description = "Task memory in MiB; the JVM takes 75% of it for its heap."
  type        = number
  default     = 1024
}

variable "cpu_architecture" {
  description = "X86_64 or ARM64; must match the image's platform (quarkus.jib.platforms)."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture is X86_64 or ARM64."
  }
}

variable "log_retention_days" {
  description = "Days the operator's logs are kept."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags of every resource the module creates."
  type        = map(string)
  default     = {}
}

# ---- where it runs --------------------------------------------------------------------------------

variable "cluster" {
  description = "The ECS cluster the operator itself runs in (name or ARN)."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets of the operator's task; they need a route to the AWS APIs (NAT gateway or VPC endpoints) and to git."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the operator's task; let Prometheus reach TCP 8080 (/q/metrics)."
  type        = list(string)
}

variable "assign_public_ip" {
  description = "Give the task a public IP: only in public subnets without a NAT gateway."
  type        = bool
  default     = false
}

# ---- what it may manage: the placeholders of deploy/iam-policy.json (names, or patterns with * and ?) ----

variable "managed_cluster_name" {
  description = "Name or pattern of the ECS clusters whose services the operator manages (spec.cluster), e.g. prod-* or *."
  type        = string
}

variable "load_balancer_name" {
  description = "Name or pattern of the ALBs whose listeners and rules the operator shifts (spec.traffic), e.g. prod-*."
  type        = string
}

variable "target_group_name" {
  description = "Name or pattern of the blue and green target groups (spec.traffic.*TargetGroup); the operator tags them."
  type        = string
  default     = "*"
}

variable "alarm_name" {
  description = "Name or pattern of the CloudWatch alarms that roll rollouts back (spec.rollback.alarms); read only."
  type        = string
  default     = "*"
}

variable "hook_function_name" {
  description = "Name or pattern of the Lambda functions lifecycle hooks invoke (spec.hooks.*.lambda)."
  type        = string
  default     = "bluegreen-hook-*"
}

variable "pass_role_name" {
  description = "Name or pattern of the task and execution roles the managed task definitions use (iam:PassRole to ECS tasks only), e.g. prod-*-task."
  type        = string

  validation {
    condition     = var.pass_role_name != "*"
    error_message = "pass_role_name must not be *: the operator could then hand any role to a task."
  }
}

variable "assume_role_name" {
  description = "Name or pattern of the roles services name in spec.roleArn, in any account (sts:AssumeRole; the role's trust policy must trust this operator's task role too, see docs/cross-account.md)."
  type        = string
  default     = "bluegreen-deployer"
}

variable "replicas" {
  description = "Operator replicas; they share the services through leases in the lease table (docs/operating.md#replicas)."
  type        = number
  default     = 2
}

variable "lease_table_name" {
  description = "The DynamoDB table of the replicas' leases, created by this module."
  type        = string
  default     = "bluegreen-leases"
}

variable "source_bucket" {
  description = "The S3 bucket of an s3:// desired-state source; empty when the source is git (the S3 statements are then left out)."
  type        = string
  default     = ""
}

variable "source_prefix" {
  description = "The key prefix of the S3 source, e.g. prod/."
  type        = string
  default     = ""
}

variable "events_queue_name" {
  description = "Name of the SQS queue the module creates for AWS events (EventBridge rule to SQS); the operator long-polls it (docs/events.md)."
  type        = string
  default     = "bluegreen-events"
}
