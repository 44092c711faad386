locals {
  profile_arn = "arn:${local.partition}:bedrock:${local.region}:${local.account_id}:inference-profile/${var.model_id}"
  api_schema  = file(var.api_schema_path)
  # Any change the agent must be prepared for: the alias moves to a new version when it changes.
  agent_revision = sha256(jsonencode([
    var.instruction, var.model_id, local.api_schema, var.knowledge_base,
    var.guardrail_id, var.guardrail_version, var.idle_session_ttl_seconds,
  ]))
}

data "aws_iam_policy_document" "agent" {
  statement {
    sid       = "InvokeItsInferenceProfile"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:GetInferenceProfile"]
    resources = [local.profile_arn]
  }
  statement {
    sid       = "InvokeTheModelThroughTheProfile"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    resources = ["arn:${local.partition}:bedrock:*::foundation-model/${var.foundation_model_id}"]
    condition {
      test     = "StringEquals"
      variable = "bedrock:InferenceProfileArn"
      values   = [local.profile_arn]
    }
  }
  dynamic "statement" {
    for_each = var.knowledge_base == null ? [] : [var.knowledge_base.arn]
    content {
      sid       = "RetrieveFromItsKnowledgeBase"
      actions   = ["bedrock:Retrieve"]
      resources = [statement.value]
    }
  }
  statement {
    sid       = "UseTheAgentKeyThroughBedrock"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [module.key.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["bedrock.${local.region}.amazonaws.com"]
    }
  }
  statement {
    sid       = "ApplyItsGuardrail"
    actions   = ["bedrock:ApplyGuardrail"]
    resources = [var.guardrail_arn]
  }
}

module "role" {
  source = "../bedrock-service-role"

  permissions_boundary = var.permissions_boundary

  name          = "${var.name}-case-sheets-agent"
  description   = "Bedrock agent ${var.name}-competency-agent: its model, its knowledge base, its guardrail"
  resource_type = "agent"
  policy_json   = data.aws_iam_policy_document.agent.json
  tags          = var.tags
}

resource "aws_bedrockagent_agent" "this" {
  agent_name                  = "${var.name}-competency-agent"
  description                 = "Creates and looks up AWS Competency case sheets; answers program questions from the knowledge base"
  agent_resource_role_arn     = module.role.arn
  foundation_model            = var.model_id
  instruction                 = var.instruction
  idle_session_ttl_in_seconds = var.idle_session_ttl_seconds
  customer_encryption_key_arn = module.key.arn
  prepare_agent               = true
  tags                        = var.tags

  guardrail_configuration {
    guardrail_identifier = var.guardrail_id
    guardrail_version    = var.guardrail_version
  }

  # Bedrock checks the role when the agent is prepared: wait for its policy, not just the role.
  depends_on = [module.role]
}

resource "aws_bedrockagent_agent_action_group" "case_sheets" {
  action_group_name          = "case-sheets"
  description                = "Create a case sheet (generateCaseSheet) or look one up by id (checkCase)"
  agent_id                   = aws_bedrockagent_agent.this.agent_id
  agent_version              = "DRAFT"
  skip_resource_in_use_check = true

  action_group_executor {
    lambda = module.function.arn
  }

  api_schema {
    payload = local.api_schema
  }

  # Created last, so the agent preparation it triggers also covers the knowledge base; made again
  # when the knowledge base is, since nothing else prepares the agent after a new association.
  depends_on = [aws_bedrockagent_agent_knowledge_base_association.this]

  lifecycle {
    replace_triggered_by = [terraform_data.knowledge_base]
  }
}

# The provider updates an association's knowledge base id in place, which Bedrock refuses for an
# id that is not associated yet; a new knowledge base gets a new association instead.
resource "terraform_data" "knowledge_base" {
  input = try(var.knowledge_base.id, null)
}

resource "aws_bedrockagent_agent_knowledge_base_association" "this" {
  count = var.knowledge_base == null ? 0 : 1

  agent_id             = aws_bedrockagent_agent.this.agent_id
  agent_version        = "DRAFT"
  knowledge_base_id    = var.knowledge_base.id
  description          = var.knowledge_base.instruction
  knowledge_base_state = "ENABLED"

  lifecycle {
    replace_triggered_by = [terraform_data.knowledge_base]
  }
}

# An alias without a routing configuration gets a new version made from the prepared DRAFT
# whenever it is created or updated; the revision in its description makes that happen on
# every change of the agent, and only then.
resource "aws_bedrockagent_agent_alias" "live" {
  agent_alias_name = var.alias_name
  agent_id         = aws_bedrockagent_agent.this.agent_id
  description      = "Tracks the prepared agent (revision ${substr(local.agent_revision, 0, 12)})"
  tags             = var.tags

  depends_on = [
    aws_bedrockagent_agent_action_group.case_sheets,
    aws_bedrockagent_agent_knowledge_base_association.this,
    aws_lambda_permission.agent,
  ]
}
