# Planned once per environment with environments/<env>/workloads.tfvars (scripts/tf-test).
# Each app's Pod Identity role: what its policy allows, and that the policy reaches its role
# (every policy document is given a distinct JSON, and each app must carry its own).

mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

mock_provider "kubernetes" {}

override_data {
  target = data.aws_ssm_parameter.cluster_name
  values = { value = "genai-env" }
}

override_data {
  target = data.aws_eks_cluster.this
  values = { name = "genai-env" }
}

override_data {
  target = data.aws_ssm_parameter.ecr["claude-chat"]
  values = { value = "123456789012.dkr.ecr.us-east-1.amazonaws.com/genai/env/claude-chat" }
}

override_data {
  target = data.aws_ssm_parameter.ecr["kb-assistant"]
  values = { value = "123456789012.dkr.ecr.us-east-1.amazonaws.com/genai/env/kb-assistant" }
}

override_data {
  target = data.aws_ssm_parameter.ecr["agent-assistant"]
  values = { value = "123456789012.dkr.ecr.us-east-1.amazonaws.com/genai/env/agent-assistant" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["knowledge-base-id"]
  values = { value = "KBMOCK0001" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["knowledge-base-arn"]
  values = { value = "arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KBMOCK0001" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["guardrail-id"]
  values = { value = "gr0mock0001" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["guardrail-arn"]
  values = { value = "arn:aws:bedrock:us-east-1:123456789012:guardrail/gr0mock0001" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["guardrail-version"]
  values = { value = "3" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["agent-id"]
  values = { value = "AGENTMOCK1" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["agent-alias-id"]
  values = { value = "ALIASMOCK1" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["agent-alias-arn"]
  values = { value = "arn:aws:bedrock:us-east-1:123456789012:agent-alias/AGENTMOCK1/ALIASMOCK1" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["agent-kms-key-arn"]
  values = { value = "arn:aws:kms:us-east-1:123456789012:key/22222222-3333-4444-5555-666666666666" }
}

override_data {
  target = data.aws_iam_policy_document.converse
  values = { json = "{\"Id\":\"converse\"}" }
}

override_data {
  target = data.aws_iam_policy_document.kb_assistant
  values = { json = "{\"Id\":\"kb_assistant\"}" }
}

override_data {
  target = data.aws_iam_policy_document.agent_assistant
  values = { json = "{\"Id\":\"agent_assistant\"}" }
}

variables {
  image_tag = "0123456789abcdef0123456789abcdef01234567"
}

run "plan" {
  command = plan

  assert {
    condition = jsondecode(module.claude_chat.iam_policy).Id == "converse" && jsondecode(module.kb_assistant.iam_policy).Id == "kb_assistant" && jsondecode(
      module.agent_assistant.iam_policy
    ).Id == "agent_assistant"
    error_message = "Each app's role carries its own policy."
  }
  assert {
    condition = toset(flatten([for s in data.aws_iam_policy_document.converse.statement : tolist(s.actions)])) == toset([
      "bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:ApplyGuardrail",
    ])
    error_message = "The chat app may only invoke models and apply the guardrail."
  }
  assert {
    condition = one([for s in data.aws_iam_policy_document.converse.statement : s.resources if s.sid == "InvokeCatalogInferenceProfiles"]) == toset([
      for m in var.chat_models : "arn:aws:bedrock:us-east-1:123456789012:inference-profile/${m.model_id}"
    ])
    error_message = "The chat app may invoke the catalog's inference profiles only."
  }
  assert {
    condition = one([for s in data.aws_iam_policy_document.converse.statement : one(s.condition).values if s.sid == "InvokeCatalogModelsThroughProfiles"]) == tolist([
      for m in var.chat_models : "arn:aws:bedrock:us-east-1:123456789012:inference-profile/${m.model_id}"
    ])
    error_message = "Foundation models are reachable only through the catalog's profiles."
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.converse.statement : s.resources if s.sid == "ApplyThePlatformGuardrail"]) == toset(["arn:aws:bedrock:us-east-1:123456789012:guardrail/gr0mock0001"])
    error_message = "The guardrail applied is the platform's."
  }
  assert {
    condition = [for s in data.aws_iam_policy_document.kb_assistant.statement : s.resources if s.sid == "RetrieveFromTheKnowledgeBase"] == [
      toset(["arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KBMOCK0001"]),
    ]
    error_message = "The KB assistant may Retrieve from its knowledge base only."
  }
  assert {
    condition     = var.kb_mode != "retrieve" || length([for s in data.aws_iam_policy_document.kb_assistant.statement : s if s.sid == "RetrieveAndGenerate"]) == 0
    error_message = "RetrieveAndGenerate is granted only when kb_mode asks for it."
  }
  assert {
    condition = [for s in data.aws_iam_policy_document.agent_assistant.statement : { actions = s.actions, resources = s.resources }] == [
      { actions = toset(["bedrock:InvokeAgent"]), resources = toset(["arn:aws:bedrock:us-east-1:123456789012:agent-alias/AGENTMOCK1/ALIASMOCK1"]) },
      { actions = toset(["kms:Decrypt", "kms:GenerateDataKey"]), resources = toset(["arn:aws:kms:us-east-1:123456789012:key/22222222-3333-4444-5555-666666666666"]) },
    ]
    error_message = "The agent assistant may invoke its agent's alias and use the agent's key, nothing else."
  }
  assert {
    condition     = one(one([for s in data.aws_iam_policy_document.agent_assistant.statement : s.condition if s.sid == "UseTheAgentKeyThroughBedrock"])).values == tolist(["bedrock.us-east-1.amazonaws.com"])
    error_message = "The agent's key is usable only through Bedrock."
  }
  assert {
    condition     = kubernetes_namespace_v1.genai.metadata[0].labels["pod-security.kubernetes.io/enforce"] == "restricted"
    error_message = "The apps' namespace enforces the restricted Pod Security Standard."
  }
  assert {
    condition     = var.environment == "dev" || (var.chat_replicas >= 2 && var.kb_replicas >= 2 && var.agent_replicas >= 2)
    error_message = "staging and prod run every app on at least two pods."
  }
  assert {
    condition     = alltrue([for e in [var.chat_exposure, var.kb_exposure, var.agent_exposure] : e != "internet"])
    error_message = "No environment exposes an app to the internet by default."
  }
}

run "retrieve_and_generate" {
  command = plan
  variables {
    kb_mode = "retrieve_and_generate"
  }

  assert {
    condition     = length([for s in data.aws_iam_policy_document.kb_assistant.statement : s if s.sid == "RetrieveAndGenerate"]) == 1
    error_message = "kb_mode retrieve_and_generate adds that permission."
  }
}

# The stack's own variable validations (the modules test theirs), under each environment's tfvars.

run "rejects_a_latest_image_tag" {
  command = plan
  variables {
    image_tag = "latest"
  }
  expect_failures = [var.image_tag]
}

run "rejects_a_missing_image_tag" {
  command = plan
  variables {
    image_tag = null
  }
  expect_failures = [var.image_tag]
}

run "rejects_an_empty_model_catalog" {
  command = plan
  variables {
    chat_models = []
  }
  expect_failures = [var.chat_models]
}

run "rejects_a_foundation_model_as_a_profile" {
  command = plan
  variables {
    chat_models = [{ label = "Claude Haiku 4.5", model_id = "anthropic.claude-haiku-4-5-20251001-v1:0", foundation_model_id = "anthropic.claude-haiku-4-5-20251001-v1:0" }]
  }
  expect_failures = [var.chat_models]
}

run "rejects_an_unknown_kb_mode" {
  command = plan
  variables {
    kb_mode = "generate"
  }
  expect_failures = [var.kb_mode]
}

run "rejects_more_than_20_passages" {
  command = plan
  variables {
    kb_number_of_results = 50
  }
  expect_failures = [var.kb_number_of_results]
}

run "rejects_a_project_starting_with_a_digit" {
  command = plan
  variables {
    project = "1genai"
  }
  expect_failures = [var.project]
}

run "rejects_a_malformed_region" {
  command = plan
  variables {
    region = "eu_west_1"
  }
  expect_failures = [var.region]
}

run "rejects_an_unknown_environment" {
  command = plan
  variables {
    environment = "sandbox"
  }
  expect_failures = [var.environment]
}
