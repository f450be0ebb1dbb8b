# The operator that watches this repository, run on ECS with the module of ecs-bluegreen-operator.
# `terraform init && terraform apply` here (with your backend and AWS provider configuration).
#
# The IAM scoping follows the naming conventions of services/: clusters prod-*, load balancers prod-*,
# target groups bg-*, rollback alarms bluegreen-*, hook functions bluegreen-hook-*, task and execution
# roles ecs-app-*. A test of ecs-bluegreen-operator checks that these patterns cover every resource the
# files under services/ name.
module "bluegreen_operator" {
  source = "git::https://github.com/ecsbluegreen/ecs-bluegreen-operator.git//deploy/terraform?ref=v0.1.0"

  image                = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ecs-bluegreen-operator:0.1.0"
  source_uri           = "git:https://github.com/acme/deploy.git?branch=main&path=services&tokenEnv=GIT_TOKEN"
  git_token_secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:bluegreen/deploy-repo-token-AbCdEf"
  api_token_secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:bluegreen/api-token-GhIjKl"

  cluster            = "platform"
  subnet_ids         = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
  security_group_ids = ["sg-0a0b0c0d0e0f01020"]

  managed_cluster_name = "prod-*"
  load_balancer_name   = "prod-*"
  target_group_name    = "bg-*"
  alarm_name           = "bluegreen-*"
  hook_function_name   = "bluegreen-hook-*"
  pass_role_name       = "ecs-app-*"

  environment = {
    BLUEGREEN_SYNC_INTERVAL = "30s"
  }

  tags = {
    team = "platform"
  }
}

output "operator_task_role_arn" {
  value = module.bluegreen_operator.task_role_arn
}
