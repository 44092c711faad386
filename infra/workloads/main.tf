locals {
  name = "${var.project}-${var.environment}"
  tags = {
    Project     = var.project
    Environment = var.environment
    Stack       = "workloads"
    ManagedBy   = "terraform"
  }
  platform = "/${var.project}/${var.environment}/platform"
  bedrock  = "/${var.project}/${var.environment}/bedrock"
}

data "aws_caller_identity" "current" {}

# Published by the platform stack.
data "aws_ssm_parameter" "cluster_name" {
  name = "${local.platform}/cluster-name"
}

# The repository of each app that declares an image (apps/*/app.yaml, read in apps.tf).
data "aws_ssm_parameter" "ecr" {
  for_each = local.image_apps
  name     = "${local.platform}/ecr/${each.key}"
}

data "aws_ssm_parameter" "platform" {
  for_each = toset([
    "model-assets-bucket", "model-assets-kms-key-arn", "notebook-zone",
    "system-node-selector", "gpu-node-selector", "gpu-toleration", "permissions-boundary-arn",
    "prometheus/scraper-cidrs",
  ])
  name = "${local.platform}/${each.key}"
}

# Published by the bedrock stack.
data "aws_ssm_parameter" "bedrock" {
  for_each = toset([
    "knowledge-base-id", "knowledge-base-arn", "guardrail-id", "guardrail-arn", "guardrail-version",
    "agent-id", "agent-alias-id", "agent-alias-arn", "agent-kms-key-arn",
    "token-budget-table", "token-budget-table-arn", "token-budget-kms-key-arn",
  ])
  name = "${local.bedrock}/${each.key}"
}

data "aws_eks_cluster" "this" {
  name = data.aws_ssm_parameter.cluster_name.value
}

# Names and selectors, not secrets: unmarked so that plans show the values built from them (the
# provider marks every parameter value sensitive).
locals {
  platform_parameters     = { for k, p in data.aws_ssm_parameter.platform : k => nonsensitive(p.value) }
  model_assets_bucket     = local.platform_parameters["model-assets-bucket"]
  model_assets_bucket_arn = "arn:aws:s3:::${local.model_assets_bucket}"
  model_assets_key_arn    = local.platform_parameters["model-assets-kms-key-arn"]
  # Every role this stack creates carries the platform's boundary (the CI apply role may create
  # no role without it).
  permissions_boundary = local.platform_parameters["permissions-boundary-arn"]
  # Stateful core services (the hub, its proxy, Qdrant) run on the system nodes: on demand in
  # production-tier environments, unlike the spot CPU and GPU groups.
  system_node_selector = jsondecode(local.platform_parameters["system-node-selector"])
  gpu_node_selector    = jsondecode(local.platform_parameters["gpu-node-selector"])
  gpu_toleration       = jsondecode(local.platform_parameters["gpu-toleration"])
}

resource "kubernetes_namespace_v1" "genai" {
  metadata {
    name = "genai"
    labels = {
      "pod-security.kubernetes.io/enforce" = "restricted"
    }
  }
}

# Whoever writes to the model-assets bucket uses its key, through S3 only.
data "aws_iam_policy_document" "model_assets_key_through_s3" {
  statement {
    sid       = "UseTheBucketKeyThroughS3"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [local.model_assets_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }
}
