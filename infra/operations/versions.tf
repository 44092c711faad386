terraform {
  required_version = ">= 1.10"

  # Only AWS APIs: the stack plans and applies from anywhere with credentials.
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.28"
    }
  }

  # Filled by scripts/tf: bucket derived from account and Region, key <env>/operations.tfstate.
  backend "s3" {}
}
