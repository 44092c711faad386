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
  environment = "dev"
  region      = "us-east-1"
  image_tag   = "0123456789abcdef0123456789abcdef01234567"
}

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
