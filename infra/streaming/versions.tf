terraform {
  required_version = ">= 1.10"

  # Only AWS APIs: the indexes are created from inside the VPC by the index manager Lambda, so
  # this stack plans and applies from anywhere with credentials.
  # 6.40: the first release that accepts the FLINK-2_2 runtime.
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.40"
    }
    time = {
      source  = "hashicorp/time"
      version = "~> 0.13"
    }
  }

  # Filled by scripts/tf: bucket derived from account and Region, key <env>/streaming.tfstate.
  backend "s3" {}
}
