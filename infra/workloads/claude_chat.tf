# "Chat with Claude": may converse with the catalog's models through their inference
# profiles, and with nothing else.

locals {
  profile_arns = [
    for m in var.chat_models : "arn:aws:bedrock:${var.region}:${data.aws_caller_identity.current.account_id}:inference-profile/${m.model_id}"
  ]
}

data "aws_iam_policy_document" "claude_chat" {
  statement {
    sid       = "InvokeCatalogInferenceProfiles"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    resources = local.profile_arns
  }
  # A cross-region profile routes to the model in any of its destination Regions; the
  # condition allows that only when the call comes through one of the profiles above.
  statement {
    sid       = "InvokeCatalogModelsThroughProfiles"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    resources = [for m in var.chat_models : "arn:aws:bedrock:*::foundation-model/${m.foundation_model_id}"]
    condition {
      test     = "StringEquals"
      variable = "bedrock:InferenceProfileArn"
      values   = local.profile_arns
    }
  }
}

module "claude_chat" {
  source = "../../modules/k8s-app"

  name                 = "claude-chat"
  namespace            = kubernetes_namespace_v1.genai.metadata[0].name
  cluster_name         = data.aws_eks_cluster.this.name
  iam_role_name_prefix = local.name
  image                = "${data.aws_ssm_parameter.ecr["claude-chat"].value}:${var.image_tag}"
  port                 = 8501
  health_path          = "/_stcore/health"
  replicas             = var.chat_replicas
  exposure             = var.chat_exposure
  allowed_cidrs        = var.chat_allowed_cidrs
  iam_policy_json      = data.aws_iam_policy_document.claude_chat.json

  env = {
    AWS_REGION    = var.region
    CHAT_PROVIDER = "bedrock"
    CHAT_MODELS   = jsonencode([for m in var.chat_models : { label = m.label, model_id = m.model_id }])
  }

  tags = local.tags
}
