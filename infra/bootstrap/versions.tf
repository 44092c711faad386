terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.28"
    }
  }
  # Bootstrap creates the state bucket, so its own (small) state is local: keep it, or
  # move it into the bucket afterwards (README, "Bootstrap").
}

provider "aws" {
  region = var.region
  default_tags {
    tags = { Project = var.project, Stack = "bootstrap", ManagedBy = "terraform" }
  }
}
