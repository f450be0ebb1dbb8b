output "blue_target_group_arn" {
  description = "spec.traffic.blueTargetGroup."
  value       = aws_lb_target_group.blue.arn
}

output "green_target_group_arn" {
  description = "spec.traffic.greenTargetGroup."
  value       = aws_lb_target_group.green.arn
}

output "production_rule_arn" {
  description = "spec.traffic.production.ruleArn."
  value       = aws_lb_listener_rule.production.arn
}

output "test_rule_arn" {
  description = "spec.traffic.test.ruleArn, or null without a test listener."
  value       = local.with_test ? aws_lb_listener_rule.test[0].arn : null
}

output "bluegreenservice_yaml" {
  description = "The BlueGreenService file for this service: terraform output -raw bluegreenservice_yaml > services/<name>.yaml"
  value = templatefile("${path.module}/templates/bluegreenservice.yaml.tftpl", {
    name                   = var.name
    region                 = var.region
    cluster                = var.cluster
    desired_count          = var.desired_count
    subnets                = var.subnets
    security_groups        = var.security_groups
    cpu                    = var.cpu
    memory                 = var.memory
    execution_role_arn     = var.execution_role_arn
    container_name         = var.container_name
    container_port         = var.container_port
    image                  = var.image
    blue_target_group_arn  = aws_lb_target_group.blue.arn
    green_target_group_arn = aws_lb_target_group.green.arn
    production_rule_arn    = aws_lb_listener_rule.production.arn
    test_rule_arn          = local.with_test ? aws_lb_listener_rule.test[0].arn : null
    tags                   = var.tags
  })
}
