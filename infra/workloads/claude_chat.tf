# "Chat with Claude": converses with the catalog's models under the guardrail, nothing else.

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
  iam_policy_json      = data.aws_iam_policy_document.converse.json

  env = merge(local.guardrail_env, {
    AWS_REGION    = var.region
    CHAT_PROVIDER = "bedrock"
    CHAT_MODELS   = jsonencode([for m in var.chat_models : { label = m.label, model_id = m.model_id }])
  })

  tags = local.tags
}
