# The MyRetail chatbot (apps/myretail_chat, Gradio): its Shopping tab calls the shopping API in
# the cluster; its Loyalty program tab converses with a Bedrock model of the catalog or with an
# OpenAI-compatible server (the fine-tuned model), which needs no AWS permission at all.

locals {
  loyalty_on_bedrock = var.loyalty_model.provider == "bedrock"
  loyalty_env = local.loyalty_on_bedrock ? tomap(merge(local.guardrail_env, {
    CHAT_MODELS = jsonencode([for m in var.chat_models : { label = m.label, model_id = m.model_id }])
    })) : var.loyalty_model.provider == "served" ? tomap({
    OPENAI_BASE_URL = module.loyalty_model[0].base_url
    OPENAI_MODEL    = module.loyalty_model[0].served_model
    }) : tomap({
    OPENAI_BASE_URL = var.loyalty_model.openai_base_url
    OPENAI_MODEL    = var.loyalty_model.openai_model
  })
}

module "myretail_chat" {
  # checkov:skip=CKV_K8S_14:The tag is var.image_tag, a git commit SHA (validated); checkov cannot resolve it through the SSM repository URL.
  source = "../../modules/k8s-app"

  name                 = "myretail-chat"
  namespace            = kubernetes_namespace_v1.genai.metadata[0].name
  cluster_name         = data.aws_eks_cluster.this.name
  iam_role_name_prefix = local.name
  image                = "${data.aws_ssm_parameter.ecr["myretail-chat"].value}:${var.image_tag}"
  port                 = 7860
  health_path          = "/healthz"
  replicas             = var.myretail_chat_replicas
  exposure             = var.myretail_chat_exposure
  allowed_cidrs        = var.myretail_chat_allowed_cidrs
  iam_policy_json      = local.loyalty_on_bedrock ? data.aws_iam_policy_document.converse.json : null

  env = merge(local.loyalty_env, {
    AWS_REGION         = var.region
    MYRETAIL_CHAT_PORT = "7860"
    CHAT_PROVIDER      = local.loyalty_on_bedrock ? "bedrock" : "openai"
    SHOP_RAG_URL       = "http://${module.shop_rag.service_name}.${kubernetes_namespace_v1.genai.metadata[0].name}.svc.cluster.local"
  })

  tags = local.tags
}
