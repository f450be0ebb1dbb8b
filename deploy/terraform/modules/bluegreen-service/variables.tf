variable "name" {
  description = "The BlueGreenService's metadata.name and spec.service; the target groups are <name>-blue and <name>-green."
  type        = string
  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,25}$", var.name))
    error_message = "name: 1 to 26 letters, digits or hyphens, so that \"<name>-green\" fits a target group name (32)."
  }
}

variable "region" {
  description = "spec.region: the region of the cluster and the load balancer."
  type        = string
}

variable "cluster" {
  description = "spec.cluster: the ECS cluster the operator creates the service in."
  type        = string
}

variable "vpc_id" {
  description = "The VPC of the load balancer and the tasks."
  type        = string
}

variable "production_listener_arn" {
  description = "The ALB listener production traffic arrives on; the module adds a rule to it."
  type        = string
}

variable "test_listener_arn" {
  description = "The ALB listener for test traffic (green before production); null for no test stage."
  type        = string
  default     = null
}

variable "host_headers" {
  description = "Host names the listener rules match (the first also becomes serverName for hooks and probes)."
  type        = list(string)
  validation {
    condition     = length(var.host_headers) > 0 && length(var.host_headers) <= 5
    error_message = "host_headers: 1 to 5 host names."
  }
}

variable "production_rule_priority" {
  description = "Priority of the production listener rule (1 to 50000, unique on its listener)."
  type        = number
}

variable "test_rule_priority" {
  description = "Priority of the test listener rule (1 to 50000, unique on its listener)."
  type        = number
  default     = null
}

variable "container_name" {
  description = "spec.traffic.containerName: the container registered in the target groups."
  type        = string
}

variable "container_port" {
  description = "spec.traffic.containerPort, also the target groups' port."
  type        = number
}

variable "image" {
  description = "The container image of the first revision, e.g. ghcr.io/acme/shop:1.0.0."
  type        = string
}

variable "cpu" {
  description = "spec.taskDefinition.cpu (CPU units)."
  type        = number
  default     = 256
}

variable "memory" {
  description = "spec.taskDefinition.memory (MiB)."
  type        = number
  default     = 512
}

variable "desired_count" {
  description = "spec.desiredCount."
  type        = number
  default     = 2
}

variable "subnets" {
  description = "spec.networkConfiguration.subnets of the tasks."
  type        = list(string)
}

variable "security_groups" {
  description = "spec.networkConfiguration.securityGroups of the tasks."
  type        = list(string)
}

variable "execution_role_arn" {
  description = "spec.taskDefinition.executionRoleArn (pulls the image, writes logs)."
  type        = string
}

variable "health_check_path" {
  description = "The target groups' HTTP health check path."
  type        = string
  default     = "/health"
}

variable "tags" {
  description = "Tags of the target groups and rules, also spec.tags."
  type        = map(string)
  default     = {}
}
