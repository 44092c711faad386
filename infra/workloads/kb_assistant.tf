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
