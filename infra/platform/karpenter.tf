# GPU and CPU capacity on demand: Karpenter's AWS side (controller role with Pod Identity, the
# interruption queue and its EventBridge rules, the nodes' role, instance profile and access
# entry). The controller itself and its NodePools are installed by infra/cluster-addons, which
# reads what this file publishes.

# Where this account can launch the GPU types, per zone of the VPC: availability differs between
# accounts (use1-az3 in one account is not use1-az3's name in another), so it is asked, not assumed.
data "aws_ec2_instance_type_offerings" "gpu" {
  location_type = "availability-zone"

  filter {
    name   = "instance-type"
    values = var.gpu_instance_types
  }
  filter {
    name   = "location"
    values = module.network.azs
  }

  lifecycle {
    postcondition {
      condition     = length(self.locations) > 0
      error_message = "None of the VPC's zones (${join(", ", module.network.azs)}) offers any of ${join(", ", var.gpu_instance_types)} in this account: choose other gpu_instance_types or Region."
    }
  }
}

locals {
  gpu_offerings = [for i, zone in data.aws_ec2_instance_type_offerings.gpu.locations : {
    zone = zone
    type = data.aws_ec2_instance_type_offerings.gpu.instance_types[i]
  }]
  # The VPC's zones that offer at least one GPU type, in the VPC's order.
  gpu_zones = [for zone in module.network.azs : zone if contains(local.gpu_offerings[*].zone, zone)]
  # Notebooks and their home volumes stay in one zone (an EBS volume cannot move): the first
  # zone offering the most GPU types, so a GPU notebook finds capacity next to its volume.
  gpu_types_per_zone = { for zone in local.gpu_zones : zone => length([for o in local.gpu_offerings : o if o.zone == zone]) }
  notebook_zone      = [for zone in local.gpu_zones : zone if local.gpu_types_per_zone[zone] == max(values(local.gpu_types_per_zone)...)][0]

  capacity_parameters = {
    "notebook-zone"                 = local.notebook_zone
    "karpenter/queue-name"          = module.karpenter.queue_name
    "karpenter/instance-profile"    = module.karpenter.instance_profile_name
    "karpenter/service-account"     = module.karpenter.service_account
    "karpenter/node-security-group" = module.eks_cluster.node_security_group_id
    "karpenter/gpu-instance-types"  = join(",", var.gpu_instance_types)
    "karpenter/gpu-zones"           = join(",", local.gpu_zones)
  }

  # Launching spot in an account that has never run spot creates EC2's spot service-linked role
  # with the caller's credentials; without this, every spot launch fails with
  # AuthFailure.ServiceLinkedRoleCreationNotPermitted and the pools never get spot capacity.
  karpenter_controller_statements = [{
    sid       = "CreateTheSpotServiceLinkedRole"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot"]
    condition = [{ test = "StringEquals", variable = "iam:AWSServiceName", values = ["spot.amazonaws.com"] }]
  }]
}

module "karpenter" {
  # checkov:skip=CKV_TF_1:Registry modules are pinned to a minor version (~>), the convention for this repository; registry versions are immutable.
  source  = "terraform-aws-modules/eks/aws//modules/karpenter"
  version = "~> 21.19"

  cluster_name = module.eks_cluster.cluster_name

  # Fixed names under the environment's prefix: the CI apply role manages only those, and every
  # role carries the permissions boundary.
  iam_role_name                     = "${local.name}-karpenter"
  iam_role_use_name_prefix          = false
  iam_policy_name                   = "${local.name}-karpenter"
  iam_policy_use_name_prefix        = false
  iam_role_permissions_boundary_arn = module.github_oidc.permissions_boundary_arn
  # Inline (10,240 characters) rather than managed (6,144): the module's policy names the
  # cluster about 18 times and is already near 6,100 characters for a 13-character name.
  enable_inline_policy            = true
  iam_policy_statements           = local.karpenter_controller_statements
  create_pod_identity_association = true
  namespace                       = "kube-system"
  service_account                 = "karpenter"

  node_iam_role_name                 = "${local.name}-karpenter-node"
  node_iam_role_use_name_prefix      = false
  node_iam_role_permissions_boundary = module.github_oidc.permissions_boundary_arn
  # The boundary forbids IAM changes, so the controller cannot create instance profiles itself:
  # Terraform creates the one profile and the EC2NodeClasses name it.
  create_instance_profile = true

  queue_name       = "${local.name}-karpenter"
  rule_name_prefix = "${local.name}-"

  tags = local.tags
}

# Read by infra/cluster-addons (Karpenter's chart and NodePools) and infra/workloads (notebooks).
resource "aws_ssm_parameter" "capacity" {
  for_each = local.capacity_parameters

  # checkov:skip=CKV2_AWS_34:Names and ids are identifiers, not secrets.
  # checkov:skip=CKV_AWS_337:Names and ids are identifiers, not secrets.
  name  = "${local.ssm_prefix}/${each.key}"
  type  = "String"
  value = each.value
}

moved {
  from = aws_ssm_parameter.outputs["notebook-zone"]
  to   = aws_ssm_parameter.capacity["notebook-zone"]
}
