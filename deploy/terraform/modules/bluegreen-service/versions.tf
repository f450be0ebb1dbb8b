terraform {
  required_version = ">= 1.3"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # weighted forward actions (action.forward.target_group) arrived in 3.x; tested with 5.100
      version = ">= 5.0"
    }
  }
}
