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
  target = data.aws_ssm_parameter.platform["private-subnet-ids"]
  values = { value = "subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2" }
}

override_data {
  target = data.aws_ssm_parameter.platform["karpenter/queue-name"]
  values = { value = "genai-env-karpenter" }
}

override_data {
  target = data.aws_ssm_parameter.platform["karpenter/instance-profile"]
  values = { value = "genai-env-karpenter-node" }
}

override_data {
  target = data.aws_ssm_parameter.platform["karpenter/service-account"]
  values = { value = "karpenter" }
}

override_data {
  target = data.aws_ssm_parameter.platform["karpenter/node-security-group"]
  values = { value = "sg-0123456789abcdef1" }
}

override_data {
  target = data.aws_ssm_parameter.platform["karpenter/gpu-instance-types"]
  values = { value = "g6.2xlarge,g6e.2xlarge,g5.2xlarge" }
}

override_data {
  target = data.aws_ssm_parameter.platform["karpenter/gpu-zones"]
  values = { value = "us-east-1b,us-east-1c" }
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
    condition     = yamldecode(module.addons.karpenter_nodepools_values).nodePools.gpu.limits["nvidia.com/gpu"] == var.gpu_limit && yamldecode(module.addons.karpenter_nodepools_values).nodePools.cpu.limits.cpu == var.cpu_limit
    error_message = "Each environment's NodePools stop at its own GPU and vCPU limits (the cost guard)."
  }
  assert {
    condition     = var.gpu_limit <= (module.environment.production ? 8 : 2)
    error_message = "A development-tier environment runs at most 2 GPUs at once, production at most 8: raising the guard is a reviewed change."
  }
  assert {
    condition = alltrue([for c in yamldecode(module.addons.karpenter_nodepools_values).nodeClasses : (
      c.instanceProfile == "genai-env-karpenter-node" && c.securityGroupSelectorTerms == [{ id = "sg-0123456789abcdef1" }] &&
      c.subnetSelectorTerms == [{ id = "subnet-0aaaaaaaaaaaaaaa1" }, { id = "subnet-0bbbbbbbbbbbbbbb2" }]
    )])
    error_message = "The node classes take the instance profile, node security group and private subnets the platform published."
  }
  assert {
    condition     = [for r in yamldecode(module.addons.karpenter_nodepools_values).nodePools.gpu.template.spec.requirements : r.values if r.key == "topology.kubernetes.io/zone"][0] == ["us-east-1b", "us-east-1c"] && [for r in yamldecode(module.addons.karpenter_nodepools_values).nodePools.gpu.template.spec.requirements : r.values if r.key == "node.kubernetes.io/instance-type"][0] == ["g6.2xlarge", "g6e.2xlarge", "g5.2xlarge"]
    error_message = "GPU nodes come in the platform's GPU types, only in the zones that offer them."
  }
  assert {
    condition     = jsondecode(aws_ssm_parameter.cpu_node_selector.value) == { "genai.platform/node-pool" = "cpu" } && aws_ssm_parameter.cpu_node_selector.name == "/genai/${var.environment}/cluster-addons/cpu-node-selector"
    error_message = "The CPU nodes' selector is published for the workloads stack."
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

run "rejects_a_negative_gpu_limit" {
  command = plan
  variables {
    gpu_limit = -1
  }
  expect_failures = [var.gpu_limit]
}

run "rejects_an_unknown_environment" {
  command = plan
  variables {
    environment = "missing"
  }
  expect_failures = [var.environment]
}

run "rejects_a_cpu_limit_of_zero" {
  command = plan
  variables {
    cpu_limit = 0
  }
  expect_failures = [var.cpu_limit]
}
