# The case-sheet agent's chat: may invoke that agent through its alias, and use its key for that
# agent's data (the agent's own role calls the model, the knowledge base and the action group).

data "aws_iam_policy_document" "agent_assistant" {
  statement {
    sid       = "InvokeTheCaseSheetAgentAlias"
    actions   = ["bedrock:InvokeAgent"]
    resources = [data.aws_ssm_parameter.bedrock["agent-alias-arn"].value]
  }
  # Callers of an agent under a customer-managed key need the key for that agent's data only
  # ("Encryption of agent resources with customer managed keys").
  statement {
    sid       = "UseTheAgentKeyForItsData"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [data.aws_ssm_parameter.bedrock["agent-kms-key-arn"].value]
    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:bedrock:arn"
      values   = ["arn:aws:bedrock:${var.region}:${data.aws_caller_identity.current.account_id}:agent/${data.aws_ssm_parameter.bedrock["agent-id"].value}"]
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
