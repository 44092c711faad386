# The case-sheet agent's chat: may invoke that agent through its alias, and use its key through
# Bedrock (the agent's own role calls the model, the knowledge base and the action group).

data "aws_iam_policy_document" "agent_assistant" {
  statement {
    sid       = "InvokeTheCaseSheetAgentAlias"
    actions   = ["bedrock:InvokeAgent"]
    resources = [data.aws_ssm_parameter.bedrock["agent-alias-arn"].value]
  }
  # Callers of an agent under a customer-managed key need the key, used by Bedrock on their
  # behalf ("Encryption of agent resources"). The documented encryption-context key differs
  # between agents created before and after January 2025; kms:ViaService holds for both.
  statement {
    sid       = "UseTheAgentKeyThroughBedrock"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [data.aws_ssm_parameter.bedrock["agent-kms-key-arn"].value]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["bedrock.${var.region}.amazonaws.com"]
    }
  }
}

module "agent_assistant" {
  source = "../../modules/k8s-app"

  name                 = "agent-assistant"
  namespace            = kubernetes_namespace_v1.genai.metadata[0].name
  cluster_name         = data.aws_eks_cluster.this.name
  iam_role_name_prefix = local.name
  image                = "${data.aws_ssm_parameter.ecr["agent-assistant"].value}:${var.image_tag}"
  port                 = 8501
  health_path          = "/_stcore/health"
  replicas             = var.agent_replicas
  exposure             = var.agent_exposure
  allowed_cidrs        = var.agent_allowed_cidrs
  iam_policy_json      = data.aws_iam_policy_document.agent_assistant.json

  env = {
    AWS_REGION       = var.region
    AGENT_MODE       = "bedrock"
    AGENT_ID         = data.aws_ssm_parameter.bedrock["agent-id"].value
    AGENT_ALIAS_ID   = data.aws_ssm_parameter.bedrock["agent-alias-id"].value
    AGENT_SHOW_TRACE = tostring(var.agent_show_trace)
  }

  tags = local.tags
}
