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

data "aws_ssm_parameter" "ecr" {
  for_each = toset(["claude-chat", "kb-assistant", "agent-assistant"])
  name     = "${local.platform}/ecr/${each.key}"
}

# Published by the bedrock stack.
data "aws_ssm_parameter" "bedrock" {
  for_each = toset([
    "knowledge-base-id", "knowledge-base-arn", "guardrail-id", "guardrail-arn", "guardrail-version",
    "agent-id", "agent-alias-id", "agent-alias-arn", "agent-kms-key-arn",
  ])
  name = "${local.bedrock}/${each.key}"
}

data "aws_eks_cluster" "this" {
  name = data.aws_ssm_parameter.cluster_name.value
}

resource "kubernetes_namespace_v1" "genai" {
  metadata {
    name = "genai"
    labels = {
      "pod-security.kubernetes.io/enforce" = "restricted"
    }
  }
}
