terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.28"
    }
  }
  # Bootstrap creates the state bucket, so its own small state is local; scripts/tf keeps
  # it at environments/<env>/bootstrap.tfstate (git-ignored): back it up, or import the two
  # resources again if it is lost.
  backend "local" {}
}

provider "aws" {
  region = module.environment.region
  default_tags {
    tags = { Project = var.project, Stack = "bootstrap", ManagedBy = "terraform" }
  }
}
