# Planned once per environment with environments/<env>/bedrock.tfvars (scripts/tf-test).

mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

mock_provider "time" {}

override_data {
  target = data.aws_ssm_parameter.network["permissions-boundary-arn"]
  values = { value = "arn:aws:iam::123456789012:policy/genai-env-permissions-boundary" }
}

override_data {
  target = data.aws_ssm_parameter.network["vpc-id"]
  values = { value = "vpc-0123456789abcdef0" }
}

override_data {
  target = data.aws_ssm_parameter.network["private-subnet-ids"]
  values = { value = "subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2,subnet-0ccccccccccccccc3" }
}

variables {
  lambda_packages_dir = "tests/fixtures"
}

run "plan" {
  command = plan

  assert {
    condition     = !var.collection_public_access
    error_message = "Every environment keeps the vector collection private (Bedrock as a service, the index manager through the VPC endpoint)."
  }
  assert {
    condition     = local.force_destroy == !local.production
    error_message = "Only a development-tier environment lets a destroy delete its documents, case sheets and generated code."
  }
  assert {
    condition     = !local.case_table_deletion_protection || var.collection_standby_replicas
    error_message = "An environment that protects its case table runs the vector collection with standby replicas."
  }
  assert {
    condition = toset(keys(aws_ssm_parameter.outputs)) == toset([
      "knowledge-base-id", "knowledge-base-arn", "data-source-id", "documents-bucket", "documents-prefix",
      "kms-key-arn", "guardrail-id", "guardrail-arn", "guardrail-version", "agent-id", "agent-alias-id",
      "agent-alias-arn", "agent-kms-key-arn", "case-sheets-function", "code-generation-url",
      "token-budget-table", "token-budget-table-arn", "token-budget-kms-key-arn",
    ])
    error_message = "The stack publishes what the workloads stack, the ingest job and the smoke check read."
  }
  assert {
    condition     = alltrue([for p in aws_ssm_parameter.outputs : startswith(p.name, "/genai/${var.environment}/bedrock/")])
    error_message = "Parameters live under /<project>/<environment>/bedrock/."
  }
  assert {
    condition     = aws_ssm_parameter.outputs["knowledge-base-id"].value == "KBMOCK0001" && aws_ssm_parameter.outputs["agent-alias-id"].value == "ALIASMOCK1"
    error_message = "The parameters carry the module outputs."
  }
}

# Observability and cost (issue 26): invocation logging, an inference profile per app and model,
# the token-budget table.
run "observability" {
  command = plan

  assert {
    condition     = length(module.invocation_logging) == (var.model_invocation_logging ? 1 : 0)
    error_message = "The environment that owns its account and Region's invocation logging configures it."
  }
  assert {
    condition = alltrue([
      for m in module.invocation_logging : m.text_logged == module.environment.log_model_text
      && m.log_group_name == "/aws/bedrock/genai-${var.environment}/model-invocations"
    ])
    error_message = "Prompts and answers are logged only where environment.yaml says log_model_text: true."
  }
  assert {
    condition     = local.invocation_log_retention_days == coalesce(var.invocation_log_retention_days, local.production ? 365 : 30)
    error_message = "The log group's retention follows the tier unless the tfvars set it."
  }
  assert {
    condition     = !local.production || !module.environment.log_model_text
    error_message = "No production-tier environment logs prompts and answers."
  }
  assert {
    # One profile per app and per model of the roles it declares.
    condition = toset(keys(aws_bedrock_inference_profile.app)) == toset(flatten([
      for name, app in local.metered_apps : [for role in app.models : [for m in flatten([local.models[role]]) : "${name}/${m.model_id}"]]
    ])) && contains(keys(aws_bedrock_inference_profile.app), "claude-chat/${local.models.chat[0].model_id}")
    error_message = "Each metered app has an inference profile of each model it calls."
  }
  assert {
    condition = alltrue([
      for key, p in aws_bedrock_inference_profile.app : p.tags.App == split("/", key)[0] && p.tags.Environment == var.environment
      && length(p.name) <= 64 && can(regex("^([0-9a-zA-Z][ _-]?)+$", p.name))
    ])
    error_message = "Profiles carry the App and Environment cost-allocation tags, under a name Bedrock accepts."
  }
  assert {
    condition = alltrue([
      for key, p in aws_bedrock_inference_profile.app : one(p.model_source).copy_from == (
        endswith(key, "/${local.models.chat[0].model_id}") ? "arn:aws:bedrock:us-east-1:123456789012:inference-profile/${local.models.chat[0].model_id}" : one(p.model_source).copy_from
      )
    ])
    error_message = "A profile of a model served through a cross-region profile copies that profile."
  }
  assert {
    condition     = toset(keys(aws_ssm_parameter.inference_profiles)) == toset(keys(local.metered_apps)) && alltrue([for p in aws_ssm_parameter.inference_profiles : startswith(p.name, "/genai/${var.environment}/bedrock/inference-profiles/")])
    error_message = "Each metered app's profiles are published for the stack that runs it."
  }
  assert {
    condition     = [for m in local.code_generation_models : m.profile_arn] == [for m in local.models.code_generation : aws_bedrock_inference_profile.app["code-generation/${m.model_id}"].arn]
    error_message = "The code-generation API calls its own profiles."
  }
  assert {
    condition = (
      aws_dynamodb_table.token_budgets.name == "genai-${var.environment}-token-budgets"
      && aws_dynamodb_table.token_budgets.point_in_time_recovery[0].enabled
      && aws_dynamodb_table.token_budgets.server_side_encryption[0].kms_key_arn == module.token_budget_key.arn
      && aws_dynamodb_table.token_budgets.ttl[0].attribute_name == local.metering.budget_table.ttl
      && aws_dynamodb_table.token_budgets.hash_key == local.metering.budget_table.hash_key.name
    )
    error_message = "The budget table is metering.json's, with PITR, its own key and TTL."
  }
  assert {
    condition = (
      local.code_generation_budget.app_daily_tokens == yamldecode(file("../../apps/code_generation/app.yaml")).budgets.app_daily_tokens[module.environment.tier]
      && local.code_generation_budget.table_name == aws_dynamodb_table.token_budgets.name
    )
    error_message = "The code-generation API charges the budgets its declaration sets for the tier."
  }
  assert {
    condition     = toset(flatten([for s in data.aws_iam_policy_document.charge_token_budgets.statement : s.actions])) == toset(["dynamodb:GetItem", "dynamodb:UpdateItem", "kms:Decrypt", "kms:GenerateDataKey"])
    error_message = "Metered apps may only read and charge budgets."
  }
}

run "rejects_a_log_retention_cloudwatch_refuses" {
  command = plan
  variables {
    invocation_log_retention_days = 45
  }
  expect_failures = [var.invocation_log_retention_days]
}

# The stack's own variable validations (the modules test theirs), under each environment's tfvars.

run "rejects_a_project_with_a_double_dash" {
  command = plan
  variables {
    project = "gen--ai"
  }
  expect_failures = [var.project]
}

run "rejects_an_unknown_environment" {
  command = plan
  variables {
    environment = "missing"
  }
  expect_failures = [var.environment]
}
