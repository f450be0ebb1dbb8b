output "service_arn" {
  description = "The operator's ECS service."
  value       = aws_ecs_service.operator.id
}

output "task_definition_arn" {
  description = "The operator's task definition."
  value       = aws_ecs_task_definition.operator.arn
}

output "task_role_arn" {
  description = "The role the operator calls AWS with."
  value       = aws_iam_role.task.arn
}

output "task_role_policy" {
  description = "The task role's policy: deploy/iam-policy.json with its placeholders filled in."
  value       = local.task_role_policy
}

output "execution_role_arn" {
  description = "The role ECS starts the operator's task with."
  value       = aws_iam_role.execution.arn
}

output "log_group_name" {
  description = "Where the operator's logs go."
  value       = aws_cloudwatch_log_group.operator.name
}

output "events_queue_url" {
  description = "The queue the operator consumes AWS events from (bluegreen.events.queue-url)."
  value       = aws_sqs_queue.events.url
}
