terraform {
  required_version = ">= 1.10"

  # Only AWS APIs: the vector index is created from inside the VPC by the knowledge base's
  # index manager Lambda, so this stack plans and applies from anywhere with credentials.
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.28"
    }
    time = {
      source  = "hashicorp/time"
      version = "~> 0.13"
    }
  }

  # Filled by scripts/tf: bucket derived from account and Region, key <env>/bedrock.tfstate.
  backend "s3" {}
}
