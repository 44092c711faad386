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
      values   = ["bedrock.${local.region}.amazonaws.com"]
    }
  }
}
