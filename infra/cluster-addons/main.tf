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
  for_each = toset(["cluster-name", "vpc-id", "system-node-selector", "gpu-node-selector", "gpu-toleration"])
  name     = "${local.platform}/${each.key}"
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
}
