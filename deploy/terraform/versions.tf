terraform {
  # provider-defined functions (provider::aws::arn_parse) need Terraform 1.8 or OpenTofu 1.7
  required_version = ">= 1.8"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # arn_parse arrived in 5.40; the module avoids aws_region, whose `name` became `region` in 6.0
      version = ">= 5.40"
    }
  }
}
