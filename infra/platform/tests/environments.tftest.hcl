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

# The account offers g6 in the second and third zones, g5 in the second only: the notebook zone
# is the second (most GPU types), and the first zone gets no GPU capacity.
override_data {
  target = data.aws_ec2_instance_type_offerings.gpu
  values = {
    locations      = ["us-east-1b", "us-east-1b", "us-east-1c"]
    instance_types = ["g6.2xlarge", "g5.2xlarge", "g6.2xlarge"]
  }
}

override_module {
  target = module.karpenter
  outputs = {
    queue_name            = "genai-env-karpenter"
    instance_profile_name = "genai-env-karpenter-node"
    service_account       = "karpenter"
  }
}

override_module {
  target  = module.eks_cluster.module.load_balancer_controller_pod_identity
  outputs = { iam_role_arn = "arn:aws:iam::123456789012:role/genai-env-lb-controller" }
}

run "plan" {
  command = plan

  assert {
    condition = (
      one(one(module.prometheus.scraper_source).eks).cluster_arn == "arn:aws:eks:us-east-1:123456789012:cluster/genai-env"
      && one(one(module.prometheus.scraper_source).eks).subnet_ids == toset(["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2", "subnet-0ccccccccccccccc3"])
      && aws_ssm_parameter.prometheus["prometheus/scraper-cidrs"].value == join(",", module.network.private_subnet_cidrs)
      && contains([for job in yamldecode(module.prometheus.scrape_configuration).scrape_configs : job.job_name], "dcgm-exporter")
    )
    error_message = "The managed scraper collects the environment's cluster from its private subnets, whose CIDRs the workloads stack reads."
  }

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
    condition     = !local.production || (!var.endpoint_public_access && module.eks_cluster.node_groups["system"].capacity_type == "ON_DEMAND")
    error_message = "Production-tier environments keep the Kubernetes API private and the system nodes on demand."
  }
  assert {
    condition     = local.production ? !local.ecr_force_delete && !local.model_assets_force_destroy : local.ecr_force_delete && local.model_assets_force_destroy
    error_message = "Only a development-tier environment lets a destroy delete images, data sets, adapters and notebooks' files."
  }
  assert {
    condition     = module.eks_cluster.node_groups["system"].capacity_type == "ON_DEMAND"
    error_message = "System nodes (load balancer controller, Karpenter) run on demand in every environment."
  }
  assert {
    condition     = !local.deletion_protection || var.nat_gateways == "per_az"
    error_message = "An environment protected from deletion survives the loss of one NAT gateway."
  }
  assert {
    condition     = length(module.network.azs) == var.az_count && length(module.network.private_subnet_cidrs) == var.az_count
    error_message = "One private subnet per availability zone."
  }
  assert {
    condition     = toset(keys(module.container_registry.repository_urls)) == local.image_apps
    error_message = "Every app that declares an image has an ECR repository."
  }
  assert {
    condition = toset(keys(aws_ssm_parameter.outputs)) == setunion(
      toset([
        "cluster-name", "vpc-id", "vpc-cidr", "private-subnet-ids", "system-node-selector", "gpu-node-selector", "gpu-toleration",
        "model-assets-bucket", "model-assets-kms-key-arn", "permissions-boundary-arn",
      ]),
      toset([for app in local.image_apps : "ecr/${app}"]),
    )
    error_message = "The stack publishes what the downstream stacks and scripts read."
  }
  assert {
    condition     = jsondecode(aws_ssm_parameter.outputs["gpu-toleration"].value) == { key = "nvidia.com/gpu", operator = "Equal", value = "true", effect = "NoSchedule" }
    error_message = "The published toleration matches the GPU nodes' taint."
  }
  assert {
    condition     = jsondecode(module.eks_cluster.addons["vpc-cni"].configuration_values).enableNetworkPolicy == "true"
    error_message = "The VPC CNI enforces NetworkPolicies in every environment."
  }
  assert {
    condition     = alltrue([for addon in module.eks_cluster.addons : can(regex("^v[0-9.]+-eksbuild\\.[0-9]+$", addon.version))])
    error_message = "Every EKS add-on runs a pinned version."
  }
  assert {
    condition     = aws_ssm_parameter.outputs["permissions-boundary-arn"].value == module.github_oidc.permissions_boundary_arn
    error_message = "The stacks find the permissions boundary their roles must carry under /<project>/<env>/platform/."
  }
  assert {
    condition     = aws_ssm_parameter.outputs["private-subnet-ids"].value == "subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2,subnet-0ccccccccccccccc3"
    error_message = "Private subnets are published as a comma-separated list."
  }
  assert {
    condition     = length(setsubtract(["claude-chat", "shop-rag", "myretail-chat", "finetune"], local.image_apps)) == 0 && !contains(local.image_apps, "case-sheets")
    error_message = "The declarations' images have repositories (the chat app, the shopping API, the chatbot, the fine-tuning Job), and a Lambda's zip none."
  }
  assert {
    condition     = aws_ssm_parameter.outputs["model-assets-bucket"].value == module.model_assets.name && aws_ssm_parameter.outputs["model-assets-kms-key-arn"].value == module.model_assets_key.arn
    error_message = "The model-assets bucket is published with the key that encrypts it."
  }
  assert {
    condition     = aws_ssm_parameter.capacity["notebook-zone"].value == "us-east-1b"
    error_message = "Notebooks are placed in the VPC zone offering the most GPU types, not simply the first zone."
  }
  assert {
    condition     = aws_ssm_parameter.capacity["karpenter/gpu-zones"].value == (var.az_count >= 3 ? "us-east-1b,us-east-1c" : "us-east-1b")
    error_message = "Karpenter's GPU zones are the VPC's zones that offer a GPU type, in the VPC's order."
  }
  assert {
    condition     = module.karpenter.instance_profile_name == aws_ssm_parameter.capacity["karpenter/instance-profile"].value && aws_ssm_parameter.capacity["karpenter/node-security-group"].value == "sg-0123456789abcdef1"
    error_message = "The EC2NodeClasses get the nodes' instance profile and security group from the platform."
  }
  assert {
    condition     = anytrue([for s in local.karpenter_controller_statements : s.actions == ["iam:CreateServiceLinkedRole"] && alltrue([for r in s.resources : endswith(r, ":role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot")]) && anytrue([for c in s.condition : c.variable == "iam:AWSServiceName" && c.values == ["spot.amazonaws.com"]])])
    error_message = "Karpenter's controller may create EC2's spot service-linked role, and no other, so its first spot launch in a new account succeeds."
  }
  assert {
    condition     = alltrue([for p in aws_ssm_parameter.capacity : startswith(p.name, "/genai/${var.environment}/platform/")])
    error_message = "Capacity parameters live under /<project>/<environment>/platform/."
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
    environment = "missing"
  }
  expect_failures = [var.environment]
}


run "rejects_an_sso_session_arn_as_cluster_admin" {
  command = plan
  variables {
    cluster_admin_arns = ["arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123/maria"]
  }
  expect_failures = [var.cluster_admin_arns]
}

run "rejects_a_gpu_list_with_a_cpu_type" {
  command = plan
  variables {
    gpu_instance_types = ["g6.2xlarge", "m6i.xlarge"]
  }
  expect_failures = [var.gpu_instance_types]
}
