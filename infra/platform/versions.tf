terraform {
  required_version = ">= 1.10"

  # Only AWS APIs: this stack plans and applies from anywhere with credentials. What runs
  # inside the cluster is infra/cluster-addons, which needs the Kubernetes API.
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.28"
    }
    time = {
      source  = "hashicorp/time"
      version = "~> 0.13"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.1"
    }
  }

  # Filled by scripts/tf: bucket derived from account and Region, key <env>/platform.tfstate.
  backend "s3" {}
}
