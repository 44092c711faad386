# The cluster module's own logic: node groups, IAM names the CI apply role may manage, API
# access, access entries. The registry modules are replaced by their outputs.

mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

override_module {
  target = module.eks
  outputs = {
    cluster_name = "genai-dev"
  }
}

override_module {
  target  = module.ebs_csi_pod_identity
  outputs = { iam_role_arn = "arn:aws:iam::123456789012:role/genai-dev-ebs-csi" }
}

override_module {
  target = module.load_balancer_controller_pod_identity
}

variables {
  name                 = "genai-dev"
  vpc_id               = "vpc-0123456789abcdef0"
  subnet_ids           = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
  cluster_admin_arns   = ["arn:aws:iam::123456789012:role/genai-dev-github-apply", "arn:aws:iam::123456789012:role/PlatformAdministrator"]
  cluster_viewer_arns  = ["arn:aws:iam::123456789012:role/genai-dev-github-plan"]
  permissions_boundary = "arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"
}

run "private_cluster" {
  command = plan

  assert {
    condition     = local.node_groups["gpu-spot"].taints.gpu == { key = "nvidia.com/gpu", value = "true", effect = "NO_SCHEDULE" } && local.node_groups["gpu-spot"].ami_type == "AL2023_x86_64_NVIDIA"
    error_message = "The GPU group runs the NVIDIA AMI and is tainted for GPU pods only."
  }
  assert {
    condition     = output.gpu_toleration == { key = "nvidia.com/gpu", operator = "Equal", value = "true", effect = "NoSchedule" } && output.gpu_node_selector == { "nvidia.com/gpu.present" = "true" }
    error_message = "The toleration and node selector published for GPU pods match the group's taint and labels."
  }
  assert {
    condition     = alltrue([for g in local.node_groups : startswith(g.iam_role_name, "genai-dev-") && !g.iam_role_use_name_prefix])
    error_message = "Node roles have fixed names under the cluster name (the CI apply role manages only those)."
  }
  assert {
    condition     = alltrue([for g in local.node_groups : !g.use_latest_ami_release_version && g.ami_release_version == null])
    error_message = "Nodes keep their AMI release until ami_release_version changes it, instead of rolling on every AWS release."
  }
  assert {
    condition     = alltrue([for g in local.node_groups : g.block_device_mappings.xvda.ebs.encrypted && g.block_device_mappings.xvda.ebs.volume_type == "gp3"])
    error_message = "Root volumes are encrypted gp3."
  }
  assert {
    condition     = length(local.private_api_rules) == 0
    error_message = "Without listed CIDRs only the nodes reach the private endpoint."
  }
  assert {
    condition     = alltrue([for g in local.node_groups : g.iam_role_permissions_boundary == var.permissions_boundary])
    error_message = "Every node role carries the permissions boundary the CI apply role requires."
  }
  assert {
    condition     = jsondecode(output.addons["vpc-cni"].configuration_values).enableNetworkPolicy == "true"
    error_message = "The VPC CNI enforces NetworkPolicies."
  }
  assert {
    condition     = alltrue([for name, addon in local.addons : !addon.most_recent && addon.addon_version == var.addon_versions[name]])
    error_message = "Every add-on runs its pinned version, never the newest build AWS publishes."
  }
  assert {
    condition     = startswith(output.addons["kube-proxy"].version, "v${var.kubernetes_version}.") && var.kubernetes_version == "1.36"
    error_message = "The default cluster runs Kubernetes 1.36 (in EKS standard support until August 2027) with add-ons of that version."
  }
  assert {
    condition     = local.account_root == "arn:aws:iam::123456789012:root"
    error_message = "The cluster key is administered by the account through IAM, whoever runs Terraform."
  }
  assert {
    condition = tolist([for k, e in local.access_entries : e.principal_arn if startswith(k, "admin-")]) == var.cluster_admin_arns && tolist([
      for k, e in local.access_entries : e.policy_associations.view.policy_arn if startswith(k, "viewer-")
    ]) == tolist(["arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy"])
    error_message = "Admins get cluster-admin, viewers read-only access, nothing else."
  }
}

run "api_for_runners_and_operators" {
  command = plan
  variables {
    endpoint_public_access        = true
    endpoint_public_access_cidrs  = ["203.0.113.10/32"]
    endpoint_private_access_cidrs = ["10.100.0.0/16"]
  }

  assert {
    condition     = local.private_api_rules.ingress_private_api_clients.cidr_blocks == tolist(["10.100.0.0/16"]) && local.private_api_rules.ingress_private_api_clients.from_port == 443
    error_message = "Listed private networks reach the API on 443."
  }
}

run "rejects_kube_proxy_of_another_version" {
  command = plan
  variables {
    kubernetes_version = "1.35"
  }
  expect_failures = [var.addon_versions]
}

run "rejects_a_floating_addon_version" {
  command = plan
  variables {
    addon_versions = { vpc-cni = "latest", coredns = "v1.14.3-eksbuild.14", kube-proxy = "v1.36.0-eksbuild.17", eks-pod-identity-agent = "v1.3.10-eksbuild.3", aws-ebs-csi-driver = "v1.66.0-eksbuild.1" }
  }
  expect_failures = [var.addon_versions]
}

run "rejects_a_boundary_that_is_not_a_policy" {
  command = plan
  variables {
    permissions_boundary = "arn:aws:iam::123456789012:role/genai-dev-boundary"
  }
  expect_failures = [var.permissions_boundary]
}

run "rejects_kubernetes_before_1_30" {
  command = plan
  variables {
    kubernetes_version = "1.29"
  }
  expect_failures = [var.kubernetes_version]
}

run "rejects_a_malformed_kubernetes_version" {
  command = plan
  variables {
    kubernetes_version = "1.34.2"
  }
  expect_failures = [var.kubernetes_version]
}

run "rejects_a_public_endpoint_without_cidrs" {
  command = plan
  variables {
    endpoint_public_access = true
  }
  expect_failures = [var.endpoint_public_access_cidrs]
}

run "rejects_a_public_endpoint_open_to_all" {
  command = plan
  variables {
    endpoint_public_access       = true
    endpoint_public_access_cidrs = ["0.0.0.0/0"]
  }
  expect_failures = [var.endpoint_public_access_cidrs]
}

run "rejects_a_malformed_private_cidr" {
  command = plan
  variables {
    endpoint_private_access_cidrs = ["10.100.0.0"]
  }
  expect_failures = [var.endpoint_private_access_cidrs]
}

run "rejects_a_single_subnet" {
  command = plan
  variables {
    subnet_ids = ["subnet-0aaaaaaaaaaaaaaa1"]
  }
  expect_failures = [var.subnet_ids]
}

run "rejects_a_name_too_long_for_its_iam_roles" {
  command = plan
  variables {
    name = "genai-a-much-too-long-environment-name-for-this-cluster"
  }
  expect_failures = [var.name]
}

run "rejects_an_unknown_capacity_type" {
  command = plan
  variables {
    system_node_group = { instance_types = ["m6i.large"], capacity_type = "RESERVED", min_size = 2, max_size = 3, desired_size = 2 }
  }
  expect_failures = [var.system_node_group]
}

run "rejects_a_system_group_that_can_reach_zero" {
  command = plan
  variables {
    system_node_group = { instance_types = ["m6i.large"], capacity_type = "ON_DEMAND", min_size = 0, max_size = 3, desired_size = 1 }
  }
  expect_failures = [var.system_node_group]
}

run "rejects_a_desired_size_below_the_minimum" {
  command = plan
  variables {
    cpu_node_group = { instance_types = ["m6i.xlarge"], min_size = 2, max_size = 4, desired_size = 1 }
  }
  expect_failures = [var.cpu_node_group]
}

run "rejects_a_gpu_group_without_instance_types" {
  command = plan
  variables {
    gpu_node_group = { instance_types = [], min_size = 0, max_size = 1, desired_size = 0 }
  }
  expect_failures = [var.gpu_node_group]
}

# The cluster's KMS key policy and access entries must not follow whoever runs Terraform, or a
# plan by the CI plan role after an apply by the apply role would show a change.
run "planned_by_another_role" {
  command = plan

  override_data {
    target = data.aws_caller_identity.current
    values = {
      account_id = "123456789012"
      arn        = "arn:aws:sts::123456789012:assumed-role/genai-dev-github-plan/github-actions"
    }
  }

  assert {
    condition     = local.account_root == "arn:aws:iam::123456789012:root" && tolist([for e in values(local.access_entries) : e.principal_arn]) == concat(var.cluster_admin_arns, var.cluster_viewer_arns)
    error_message = "The key administrators or access entries changed with the role running Terraform."
  }
}

run "rejects_a_desired_size_above_the_maximum" {
  command = plan
  variables {
    system_node_group = { instance_types = ["m6i.large"], capacity_type = "ON_DEMAND", min_size = 2, max_size = 3, desired_size = 4 }
  }
  expect_failures = [var.system_node_group]
}

run "rejects_an_sso_session_as_cluster_admin" {
  command = plan
  variables {
    cluster_admin_arns = ["arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123/maria"]
  }
  expect_failures = [var.cluster_admin_arns]
}

run "rejects_a_retention_cloudwatch_does_not_offer" {
  command = plan
  variables {
    log_retention_days = 31
  }
  expect_failures = [var.log_retention_days]
}

run "rejects_an_ami_id_as_release" {
  command = plan
  variables {
    ami_release_version = "ami-0123456789abcdef0"
  }
  expect_failures = [var.ami_release_version]
}

run "rejects_a_vpc_name_as_vpc_id" {
  command = plan
  variables {
    vpc_id = "genai-dev"
  }
  expect_failures = [var.vpc_id]
}
