# The AWS Competency assistant: retrieves from the knowledge base of the bedrock stack and
# converses with the catalog's models under the guardrail.

data "aws_iam_policy_document" "kb_assistant" {
  source_policy_documents = [data.aws_iam_policy_document.converse.json]

  statement {
    sid       = "RetrieveFromTheKnowledgeBase"
    actions   = ["bedrock:Retrieve"]
    resources = [data.aws_ssm_parameter.bedrock["knowledge-base-arn"].value]
  }

  # RetrieveAndGenerate takes no resource ARN; what it may read and call is still bounded by
  # the Retrieve and model statements above, which it checks as the caller.
  dynamic "statement" {
    for_each = var.kb_mode == "retrieve_and_generate" ? [1] : []
    content {
      sid       = "RetrieveAndGenerate"
      actions   = ["bedrock:RetrieveAndGenerate"]
      resources = ["*"]
    }
  }
}

module "kb_assistant" {
  source = "../../modules/k8s-app"

  name                 = "kb-assistant"
  namespace            = kubernetes_namespace_v1.genai.metadata[0].name
  cluster_name         = data.aws_eks_cluster.this.name
  iam_role_name_prefix = local.name
  image                = "${data.aws_ssm_parameter.ecr["kb-assistant"].value}:${var.image_tag}"
  port                 = 8501
  health_path          = "/_stcore/health"
  replicas             = var.kb_replicas
  exposure             = var.kb_exposure
  allowed_cidrs        = var.kb_allowed_cidrs
  iam_policy_json      = data.aws_iam_policy_document.kb_assistant.json

  env = merge(local.guardrail_env, {
    AWS_REGION           = var.region
    CHAT_PROVIDER        = "bedrock"
    CHAT_MODELS          = jsonencode([for m in var.chat_models : { label = m.label, model_id = m.model_id }])
    KB_RETRIEVER         = "bedrock"
    KNOWLEDGE_BASE_ID    = data.aws_ssm_parameter.bedrock["knowledge-base-id"].value
    KB_MODE              = var.kb_mode
    KB_NUMBER_OF_RESULTS = tostring(var.kb_number_of_results)
  })

  tags = local.tags
}
