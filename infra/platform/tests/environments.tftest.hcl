# Planned once per environment with environments/<env>/platform.tfvars (scripts/tf-test).
# Registry modules are replaced by their outputs; their inputs are this repository's.

mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

mock_provider "time" {}
mock_provider "tls" {}

override_module {
  target = module.network.module.vpc
  outputs = {
    vpc_id          = "vpc-0123456789abcdef0"
    vpc_cidr_block  = "10.10.0.0/16"
    private_subnets = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2", "subnet-0ccccccccccccccc3"]
    public_subnets  = ["subnet-0ddddddddddddddd4", "subnet-0eeeeeeeeeeeeeee5", "subnet-0fffffffffffffff6"]
  }
}

override_module {
  target = module.eks_cluster.module.eks
  outputs = {
    cluster_name                       = "genai-env"
    cluster_arn                        = "arn:aws:eks:us-east-1:123456789012:cluster/genai-env"
    cluster_endpoint                   = "https://0123456789ABCDEF0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com"
    cluster_certificate_authority_data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="
    node_security_group_id             = "sg-0123456789abcdef1"
  }
}

override_module {
  target  = module.eks_cluster.module.ebs_csi_pod_identity
  outputs = { iam_role_arn = "arn:aws:iam::123456789012:role/genai-env-ebs-csi" }
}

override_module {
  target  = module.eks_cluster.module.load_balancer_controller_pod_identity
  outputs = { iam_role_arn = "arn:aws:iam::123456789012:role/genai-env-lb-controller" }
}

run "plan" {
  command = plan

  assert {
    condition     = module.eks_cluster.node_groups["gpu-spot"].taints == { gpu = { key = "nvidia.com/gpu", value = "true", effect = "NO_SCHEDULE" } } && module.eks_cluster.node_groups["gpu-spot"].labels["nvidia.com/gpu.present"] == "true"
    error_message = "GPU nodes are tainted nvidia.com/gpu=true:NoSchedule and labelled for the device plugin."
  }
  assert {
    condition     = module.eks_cluster.node_groups["gpu-spot"].ami_type == "AL2023_x86_64_NVIDIA" && module.eks_cluster.node_groups["gpu-spot"].capacity_type == "SPOT"
    error_message = "GPU nodes run the NVIDIA AMI on spot capacity."
  }
  assert {
    condition = alltrue([
      for group, sizes in { system = var.system_node_group, cpu-spot = var.cpu_node_group, gpu-spot = var.gpu_node_group } :
      module.eks_cluster.node_groups[group].min_size == sizes.min_size && module.eks_cluster.node_groups[group].max_size == sizes.max_size && module.eks_cluster.node_groups[group].instance_types == sizes.instance_types
    ])
    error_message = "Node group sizes and instance types are the environment's."
  }
  assert {
    condition     = length(module.eks_cluster.node_groups["system"].taints) == 0 && module.eks_cluster.node_groups["cpu-spot"].capacity_type == "SPOT"
    error_message = "System and CPU nodes take any pod; the CPU group runs on spot."
  }
  assert {
    condition     = var.environment == "dev" || (!var.endpoint_public_access && var.system_node_group.capacity_type == "ON_DEMAND")
    error_message = "staging and prod keep the Kubernetes API private and the system nodes on demand."
  }
  assert {
    condition     = var.environment != "prod" || (var.deletion_protection && !var.ecr_force_delete && var.nat_gateways == "per_az")
    error_message = "prod protects the cluster and its images and survives the loss of one NAT gateway."
  }
  assert {
    condition     = length(module.network.azs) == var.az_count && length(module.network.private_subnet_cidrs) == var.az_count
    error_message = "One private subnet per availability zone."
  }
  assert {
    condition     = toset(keys(module.container_registry.repository_urls)) == var.apps
    error_message = "Every app has an ECR repository."
  }
  assert {
    condition = toset(keys(aws_ssm_parameter.outputs)) == setunion(
      toset([
        "cluster-name", "vpc-id", "vpc-cidr", "private-subnet-ids", "system-node-selector", "gpu-node-selector", "gpu-toleration",
        "model-assets-bucket", "model-assets-kms-key-arn", "notebook-zone",
      ]),
      toset([for app in var.apps : "ecr/${app}"]),
    )
    error_message = "The stack publishes what the downstream stacks and scripts read."
  }
  assert {
    condition     = jsondecode(aws_ssm_parameter.outputs["gpu-toleration"].value) == { key = "nvidia.com/gpu", operator = "Equal", value = "true", effect = "NoSchedule" }
    error_message = "The published toleration matches the GPU nodes' taint."
  }
  assert {
    condition     = aws_ssm_parameter.outputs["private-subnet-ids"].value == "subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2,subnet-0ccccccccccccccc3"
    error_message = "Private subnets are published as a comma-separated list."
  }
  assert {
    condition     = contains(var.apps, "shop-rag") && contains(var.apps, "myretail-chat") && contains(var.apps, "finetune")
    error_message = "The shopping RAG API, the MyRetail chatbot and the fine-tuning Job have image repositories."
  }
  assert {
    condition     = aws_ssm_parameter.outputs["model-assets-bucket"].value == module.model_assets.name && aws_ssm_parameter.outputs["model-assets-kms-key-arn"].value == module.model_assets_key.arn
    error_message = "The model-assets bucket is published with the key that encrypts it."
  }
  assert {
    condition     = aws_ssm_parameter.outputs["notebook-zone"].value == module.network.azs[0]
    error_message = "Notebooks are placed in the VPC's first availability zone."
  }
  assert {
    condition     = var.environment == "dev" || !var.model_assets_force_destroy
    error_message = "Only dev lets a destroy delete data sets, adapters and notebooks' files."
  }
  assert {
    condition     = alltrue([for p in aws_ssm_parameter.outputs : startswith(p.name, "/genai/${var.environment}/platform/")])
    error_message = "Parameters live under /<project>/<environment>/platform/."
  }
}

# The stack's own variable validations (the modules test theirs), under each environment's tfvars.

run "rejects_a_project_with_a_trailing_dash" {
  command = plan
  variables {
    project = "genai-"
  }
  expect_failures = [var.project]
}

run "rejects_a_project_over_12_characters" {
  command = plan
  variables {
    project = "genaiplatform"
  }
  expect_failures = [var.project]
}

run "rejects_an_unknown_environment" {
  command = plan
  variables {
    environment = "qa"
  }
  expect_failures = [var.environment]
}

run "rejects_a_region_name_instead_of_a_code" {
  command = plan
  variables {
    region = "N. Virginia"
  }
  expect_failures = [var.region]
}

run "rejects_an_sso_session_arn_as_cluster_admin" {
  command = plan
  variables {
    cluster_admin_arns = ["arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123/maria"]
  }
  expect_failures = [var.cluster_admin_arns]
}
