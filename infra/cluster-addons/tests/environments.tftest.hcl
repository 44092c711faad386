# Planned once per environment with environments/<env>/cluster-addons.tfvars (scripts/tf-test).

mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

mock_provider "kubernetes" {}
mock_provider "helm" {}

override_data {
  target = data.aws_ssm_parameter.platform["cluster-name"]
  values = { value = "genai-env" }
}

override_data {
  target = data.aws_ssm_parameter.platform["vpc-id"]
  values = { value = "vpc-0123456789abcdef0" }
}

override_data {
  target = data.aws_ssm_parameter.platform["system-node-selector"]
  values = { value = "{\"genai.platform/node-pool\":\"system\"}" }
}

override_data {
  target = data.aws_ssm_parameter.platform["gpu-node-selector"]
  values = { value = "{\"nvidia.com/gpu.present\":\"true\"}" }
}

override_data {
  target = data.aws_ssm_parameter.platform["gpu-toleration"]
  values = { value = "{\"effect\":\"NoSchedule\",\"key\":\"nvidia.com/gpu\",\"operator\":\"Equal\",\"value\":\"true\"}" }
}

override_data {
  target = data.aws_eks_cluster.this
  values = {
    name                  = "genai-env"
    endpoint              = "https://0123456789ABCDEF0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com"
    certificate_authority = [{ data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==" }]
  }
}

run "plan" {
  command = plan

  assert {
    condition     = output.default_storage_class == "gp3"
    error_message = "gp3 is the cluster's default StorageClass."
  }
  assert {
    condition     = data.aws_ssm_parameter.platform["cluster-name"].name == "/genai/${var.environment}/platform/cluster-name"
    error_message = "The cluster is the one the environment's platform stack published."
  }
  assert {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", output.load_balancer_controller_version))
    error_message = "The load balancer controller's chart is pinned."
  }
}

# The stack's own variable validations (the modules test theirs), under each environment's tfvars.

run "rejects_an_upper_case_project" {
  command = plan
  variables {
    project = "GenAI"
  }
  expect_failures = [var.project]
}

run "rejects_an_unknown_environment" {
  command = plan
  variables {
    environment = "production"
  }
  expect_failures = [var.environment]
}

run "rejects_a_malformed_region" {
  command = plan
  variables {
    region = "us-east"
  }
  expect_failures = [var.region]
}
