# What one BlueGreenService needs on the load balancer: its two target groups and a listener rule on the
# production listener (and on the test listener) that forwards to blue. The operator then moves the
# rules' forward weights, so Terraform ignores the actions after creating them (docs/iac.md).

locals {
  target_group = {
    protocol             = "HTTP"
    port                 = var.container_port
    target_type          = "ip" # awsvpc tasks (Fargate) register by IP
    deregistration_delay = 60
  }
  with_test = var.test_listener_arn != null
}

resource "aws_lb_target_group" "blue" {
  name                 = "${var.name}-blue"
  vpc_id               = var.vpc_id
  protocol             = local.target_group.protocol
  port                 = local.target_group.port
  target_type          = local.target_group.target_type
  deregistration_delay = local.target_group.deregistration_delay

  health_check {
    path    = var.health_check_path
    matcher = "200-399"
  }

  tags = var.tags
}

resource "aws_lb_target_group" "green" {
  name                 = "${var.name}-green"
  vpc_id               = var.vpc_id
  protocol             = local.target_group.protocol
  port                 = local.target_group.port
  target_type          = local.target_group.target_type
  deregistration_delay = local.target_group.deregistration_delay

  health_check {
    path    = var.health_check_path
    matcher = "200-399"
  }

  tags = var.tags
}

# Both target groups are in the forward action from the start (green at weight 0): AWS lets a task set
# use a target group only once a listener forwards to it.
resource "aws_lb_listener_rule" "production" {
  listener_arn = var.production_listener_arn
  priority     = var.production_rule_priority

  action {
    type = "forward"
    forward {
      target_group {
        arn    = aws_lb_target_group.blue.arn
        weight = 100
      }
      target_group {
        arn    = aws_lb_target_group.green.arn
        weight = 0
      }
    }
  }

  condition {
    host_header {
      values = var.host_headers
    }
  }

  tags = var.tags

  lifecycle {
    # the operator owns the weights: without this every plan would revert a rollout
    ignore_changes = [action]
  }
}

resource "aws_lb_listener_rule" "test" {
  count        = local.with_test ? 1 : 0
  listener_arn = var.test_listener_arn
  priority     = var.test_rule_priority

  action {
    type = "forward"
    forward {
      target_group {
        arn    = aws_lb_target_group.blue.arn
        weight = 100
      }
      target_group {
        arn    = aws_lb_target_group.green.arn
        weight = 0
      }
    }
  }

  condition {
    host_header {
      values = var.host_headers
    }
  }

  tags = var.tags

  lifecycle {
    ignore_changes = [action]

    precondition {
      condition     = var.test_rule_priority != null
      error_message = "test_rule_priority is required with test_listener_arn."
    }
  }
}
