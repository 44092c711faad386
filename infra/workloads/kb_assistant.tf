# The AWS Competency assistant: retrieves from the knowledge base of the bedrock stack and
# converses with the catalog's models under the guardrail.

locals {
  # The environment's rerank model (environments/models.yaml, role `rerank`): the knowledge base
  # retrieves more candidates and this model keeps the best (KB_RERANK_MODEL_ID). Bedrock serves
  # rerank models in-Region, on demand, by foundation-model ARN (no inference profile).
  kb_rerank_model_id  = module.environment.models.rerank.model_id
  kb_rerank_model_arn = "arn:aws:bedrock:${local.region}::foundation-model/${module.environment.models.rerank.foundation_model_id}"
}

data "aws_iam_policy_document" "kb_assistant" {
  source_policy_documents = [data.aws_iam_policy_document.converse["kb-assistant"].json]

  # Retrieve and RetrieveAndGenerate rerank as the caller: Rerank (an action without a
  # resource type) and InvokeModel on the one rerank model.
  statement {
    sid       = "Rerank"
    actions   = ["bedrock:Rerank"]
    resources = ["*"]
  }
  statement {
    sid       = "InvokeTheRerankModel"
    actions   = ["bedrock:InvokeModel"]
    resources = [local.kb_rerank_model_arn]
  }

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
