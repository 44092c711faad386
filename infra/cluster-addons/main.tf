# The environment's tier, Region and models (environments/<environment>/environment.yaml and
# environments/models.yaml): rules that differ between environments follow the tier.
module "environment" {
  source    = "../../modules/environment"
  name      = var.environment
  directory = "${path.module}/../../environments"
}

locals {
  tags = {
    Project     = var.project
    Environment = var.environment
    Stack       = "cluster-addons"
    ManagedBy   = "terraform"
  }
  platform = "/${var.project}/${var.environment}/platform"
}

# Published by the platform stack.
data "aws_ssm_parameter" "platform" {
  for_each = toset([
    "cluster-name", "vpc-id", "private-subnet-ids", "system-node-selector", "gpu-node-selector", "gpu-toleration",
    "karpenter/queue-name", "karpenter/instance-profile", "karpenter/service-account", "karpenter/node-security-group",
    "karpenter/gpu-instance-types", "karpenter/gpu-zones",
  ])
  name = "${local.platform}/${each.key}"
}

data "aws_eks_cluster" "this" {
  name = data.aws_ssm_parameter.platform["cluster-name"].value
}

module "addons" {
  source = "../../modules/cluster-addons"

  cluster_name                           = data.aws_eks_cluster.this.name
  vpc_id                                 = data.aws_ssm_parameter.platform["vpc-id"].value
  system_node_selector                   = jsondecode(data.aws_ssm_parameter.platform["system-node-selector"].value)
  gpu_node_selector                      = jsondecode(data.aws_ssm_parameter.platform["gpu-node-selector"].value)
  gpu_toleration                         = jsondecode(data.aws_ssm_parameter.platform["gpu-toleration"].value)
  load_balancer_controller_chart_version = var.load_balancer_controller_chart_version
  nvidia_device_plugin_chart_version     = var.nvidia_device_plugin_chart_version
  dcgm_exporter_chart_version            = var.dcgm_exporter_chart_version
  cluster_endpoint                       = data.aws_eks_cluster.this.endpoint
  karpenter = {
    chart_version      = var.karpenter_chart_version
    queue_name         = data.aws_ssm_parameter.platform["karpenter/queue-name"].value
    instance_profile   = data.aws_ssm_parameter.platform["karpenter/instance-profile"].value
    service_account    = data.aws_ssm_parameter.platform["karpenter/service-account"].value
    subnet_ids         = split(",", data.aws_ssm_parameter.platform["private-subnet-ids"].value)
    security_group_ids = [data.aws_ssm_parameter.platform["karpenter/node-security-group"].value]
    gpu_instance_types = split(",", data.aws_ssm_parameter.platform["karpenter/gpu-instance-types"].value)
    gpu_zones          = split(",", data.aws_ssm_parameter.platform["karpenter/gpu-zones"].value)
    node_ami_alias     = var.karpenter_node_ami_alias
    gpu_limit          = var.gpu_limit
    cpu_limit          = var.cpu_limit
  }
}

# Read by infra/workloads: the CPU profile of the notebooks selects Karpenter's CPU nodes.
resource "aws_ssm_parameter" "cpu_node_selector" {
  # checkov:skip=CKV2_AWS_34:A node selector is not a secret.
  # checkov:skip=CKV_AWS_337:A node selector is not a secret.
  name  = "/${var.project}/${var.environment}/cluster-addons/cpu-node-selector"
  type  = "String"
  value = jsonencode(module.addons.cpu_node_selector)
}
