# The case-sheet agent with and without a knowledge base: who may invoke the function, what the
# agent's role may do, and the alias following every change.

mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

# Distinct ARNs for the function's role and the signing role, so a trust or a grant naming the
# wrong one shows.
override_resource {
  target          = module.function.aws_iam_role.this
  override_during = plan
  values          = { arn = "arn:aws:iam::123456789012:role/genai-dev-case-sheets-function" }
}

override_resource {
  target          = module.signer.aws_iam_role.this
  override_during = plan
  values          = { arn = "arn:aws:iam::123456789012:role/genai-dev-case-sheets-signer" }
}

variables {
  permissions_boundary = "arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"
  name                 = "genai-dev"
  model_id             = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
  foundation_model_id  = "anthropic.claude-haiku-4-5-20251001-v1:0"
  instruction          = "You create and look up AWS Competency case sheets for the partner team."
  api_schema_path      = "../../apps/case_sheets/openapi.json"
  package_path         = "tests/fixtures/case_sheets.zip"
  guardrail_id         = "gr0mock0001"
  guardrail_arn        = "arn:aws:bedrock:us-east-1:123456789012:guardrail/gr0mock0001"
  guardrail_version    = "1"
  knowledge_base = {
    id  = "KBMOCK0001"
    arn = "arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KBMOCK0001"
  }
  case_table = { hash_key = { name = "caseSheetId", type = "S" } }
}

run "with_a_knowledge_base" {
  command = plan

  assert {
    condition     = aws_lambda_permission.agent.source_arn == aws_bedrockagent_agent.this.agent_arn && aws_lambda_permission.agent.principal == "bedrock.amazonaws.com" && aws_lambda_permission.agent.source_account == "123456789012"
    error_message = "Only this agent, in this account, may invoke the action-group function."
  }
  assert {
    condition     = aws_bedrockagent_agent_alias.live.agent_id == aws_bedrockagent_agent.this.agent_id && aws_bedrockagent_agent_action_group.case_sheets.agent_id == aws_bedrockagent_agent.this.agent_id
    error_message = "The alias and the action group belong to this agent."
  }
  assert {
    condition     = aws_bedrockagent_agent_action_group.case_sheets.action_group_executor[0].lambda == module.function.arn && aws_lambda_permission.agent.function_name == module.function.function_name
    error_message = "The action group calls the module's function."
  }
  assert {
    condition     = length(aws_bedrockagent_agent_knowledge_base_association.this) == 1 && aws_bedrockagent_agent_knowledge_base_association.this[0].knowledge_base_id == "KBMOCK0001"
    error_message = "The knowledge base is associated."
  }
  assert {
    condition     = length(aws_bedrockagent_agent_knowledge_base_association.this[0].description) <= 200
    error_message = "The association's description is within Bedrock's 200 characters."
  }
  assert {
    condition = [for s in data.aws_iam_policy_document.agent.statement : s.resources if s.sid == "RetrieveFromItsKnowledgeBase"] == [
      toset(["arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KBMOCK0001"]),
    ]
    error_message = "The agent's role may Retrieve from its knowledge base only."
  }
  assert {
    condition = toset(flatten([for s in data.aws_iam_policy_document.agent.statement : s.resources if s.sid == "InvokeItsInferenceProfile"])) == toset([
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0",
    ])
    error_message = "The agent's role may invoke its own inference profile only."
  }
  assert {
    condition     = aws_bedrockagent_agent.this.customer_encryption_key_arn == module.key.arn && aws_dynamodb_table.cases.server_side_encryption[0].kms_key_arn == module.key.arn
    error_message = "The agent and its table use the module's key."
  }
  assert {
    condition = [for s in data.aws_iam_policy_document.bedrock_key.statement : s.principals] == [
      toset([{ type = "Service", identifiers = toset(["bedrock.amazonaws.com"]) }]),
    ]
    error_message = "The key policy lets Bedrock use the key for this account's agents."
  }
}

run "a_new_knowledge_base" {
  command = plan
  variables {
    knowledge_base = {
      id  = "KBMOCK0002"
      arn = "arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KBMOCK0002"
    }
  }

  assert {
    condition     = terraform_data.knowledge_base.input == "KBMOCK0002" && aws_bedrockagent_agent_knowledge_base_association.this[0].knowledge_base_id == "KBMOCK0002"
    error_message = "A new knowledge base is recorded, which replaces the association and the action group (re-preparing the agent)."
  }
}

run "without_a_knowledge_base" {
  command = plan
  variables {
    knowledge_base = null
  }

  assert {
    condition     = length(aws_bedrockagent_agent_knowledge_base_association.this) == 0
    error_message = "No association without a knowledge base."
  }
  assert {
    condition     = length([for s in data.aws_iam_policy_document.agent.statement : s if s.sid == "RetrieveFromItsKnowledgeBase"]) == 0
    error_message = "Without a knowledge base the role may not Retrieve at all."
  }
}

run "a_new_instruction_moves_the_alias" {
  command = plan
  variables {
    instruction = "You create and look up AWS Competency case sheets; answer in the user's language."
  }

  assert {
    condition     = output.revision != run.with_a_knowledge_base.revision && strcontains(aws_bedrockagent_agent_alias.live.description, output.revision)
    error_message = "A changed instruction changes the revision in the alias's description, so the alias points at a newly prepared version."
  }
}

run "rejects_a_knowledge_base_instruction_over_200_characters" {
  command = plan
  variables {
    knowledge_base = {
      id          = "KBMOCK0001"
      arn         = "arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KBMOCK0001"
      instruction = "Information about the AWS Competency programs: Conversational AI, Data and Analytics, DevOps, Education, Energy, Financial Services, Machine Learning and Security. Use it for questions about program requirements and validation."
    }
  }
  expect_failures = [var.knowledge_base]
}

run "rejects_a_short_instruction" {
  command = plan
  variables {
    instruction = "Make case sheets."
  }
  expect_failures = [var.instruction]
}

run "rejects_a_name_with_a_double_dash" {
  command = plan
  variables {
    name = "genai--dev"
  }
  expect_failures = [var.name]
}

run "rejects_a_name_too_long_for_its_bucket" {
  command = plan
  variables {
    name = "genai-platform-development-stage"
  }
  expect_failures = [var.name]
}

run "rejects_a_model_that_is_not_an_inference_profile" {
  command = plan
  variables {
    model_id = "anthropic.claude-haiku-4-5-20251001-v1:0"
  }
  expect_failures = [var.model_id]
}

run "rejects_a_malformed_foundation_model" {
  command = plan
  variables {
    foundation_model_id = "claude haiku"
  }
  expect_failures = [var.foundation_model_id]
}

run "rejects_an_idle_ttl_over_90_minutes" {
  command = plan
  variables {
    idle_session_ttl_seconds = 5401
  }
  expect_failures = [var.idle_session_ttl_seconds]
}

run "rejects_an_alias_name_with_a_space" {
  command = plan
  variables {
    alias_name = "live now"
  }
  expect_failures = [var.alias_name]
}

run "links_signed_by_a_dedicated_role" {
  command = plan

  assert {
    condition     = one(one(module.signer.trust_statements).principals).identifiers == toset(["arn:aws:iam::123456789012:role/genai-dev-case-sheets-function"]) && one(module.signer.trust_statements).actions == toset(["sts:AssumeRole"])
    error_message = "Only the function's execution role may assume the signing role."
  }
  assert {
    condition = { for st in module.signer.policy_statements : st.sid => [st.actions, st.resources] } == {
      ReadTheLinkedObjects = [toset(["s3:GetObject"]), toset(["${module.sheets.arn}/case-sheets/*"])]
      DecryptThemThroughS3 = [toset(["kms:Decrypt"]), toset([module.key.arn])]
    }
    error_message = "The signing role may only read the workbooks under the prefix (decrypting them through S3)."
  }
  assert {
    condition     = [for s in data.aws_iam_policy_document.function.statement : s.resources if s.sid == "AssumeTheSigningRole"] == [toset(["arn:aws:iam::123456789012:role/genai-dev-case-sheets-signer"])]
    error_message = "The function's role may assume the signing role and no other."
  }
  assert {
    condition     = module.signer.permissions_boundary == var.permissions_boundary && module.signer.name == "genai-dev-case-sheets-signer" && module.signer.max_session_duration == 3600
    error_message = "The signing role carries the platform boundary, under a name within IAM's 64 characters."
  }
  assert {
    condition     = local.function_environment.SIGNING_ROLE_ARN == "arn:aws:iam::123456789012:role/genai-dev-case-sheets-signer" && local.function_environment.PRESIGN_SECONDS == "3600"
    error_message = "The function is told which role signs its links, and for how long a link lives."
  }
}

run "a_signing_role_name_fits_iam_at_the_longest_name" {
  command = plan
  variables {
    name = "a23456789012345678901234567890x"
  }

  assert {
    condition     = length(module.signer.name) <= 64
    error_message = "The signing role's name fits IAM's 64 characters at the longest name allowed."
  }
}

run "rejects_a_missing_schema" {
  command = plan
  variables {
    api_schema_path = "tests/fixtures/openapi.json"
  }
  expect_failures = [var.api_schema_path]
}

run "rejects_download_links_beyond_an_hour" {
  command = plan
  variables {
    download_link_seconds = 3601
  }
  expect_failures = [var.download_link_seconds]
}

run "rejects_a_guardrail_name_as_its_id" {
  command = plan
  variables {
    guardrail_id = "genai-dev-assistants"
  }
  expect_failures = [var.guardrail_id]
}

run "rejects_the_arn_of_another_guardrail" {
  command = plan
  variables {
    guardrail_arn = "arn:aws:bedrock:us-east-1:123456789012:guardrail/gr0other0001"
  }
  expect_failures = [var.guardrail_arn]
}

run "rejects_the_draft_guardrail" {
  command = plan
  variables {
    guardrail_version = "DRAFT"
  }
  expect_failures = [var.guardrail_version]
}

run "case_table_from_its_declared_keys" {
  command = plan
  variables {
    case_table = { hash_key = { name = "partnerId", type = "S" }, range_key = { name = "createdAt", type = "N" }, ttl = "expiresAt" }
  }

  assert {
    condition = aws_dynamodb_table.cases.name == "genai-dev-case-sheets" && aws_dynamodb_table.cases.hash_key == "partnerId" && aws_dynamodb_table.cases.range_key == "createdAt" && toset([
      for a in aws_dynamodb_table.cases.attribute : "${a.name}:${a.type}"
    ]) == toset(["partnerId:S", "createdAt:N"])
    error_message = "The table keeps its name and takes the declared keys."
  }
  assert {
    condition     = aws_dynamodb_table.cases.ttl[0].attribute_name == "expiresAt" && aws_dynamodb_table.cases.ttl[0].enabled
    error_message = "A declared ttl attribute expires items."
  }
}

run "rejects_a_key_of_an_unknown_type" {
  command = plan
  variables {
    case_table = { hash_key = { name = "caseSheetId", type = "STRING" } }
  }
  expect_failures = [var.case_table]
}

run "rejects_a_boundary_that_is_not_a_policy" {
  command = plan
  variables {
    permissions_boundary = "arn:aws:iam::123456789012:role/genai-dev-boundary"
  }
  expect_failures = [var.permissions_boundary]
}
