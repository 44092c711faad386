# What every metered app needs to converse (issue 26): its own application inference profiles
# (infra/bedrock, one per model of the roles its declaration lists), the models behind them only
# through those profiles, the platform's guardrail, and its token budgets. Each app's policy
# starts from its own document here.

locals {
  # The apps that declare models (apps/<package>/app.yaml `models`), and their profiles as the
  # bedrock stack publishes them: the catalog's model id => { arn, foundation_model_id }.
  metered_apps = toset([for name, app in local.deployments : name if length(try(app.models, [])) > 0])
  app_profiles = {
    for name in local.metered_apps : name => jsondecode(nonsensitive(data.aws_ssm_parameter.inference_profiles[name].value))
  }
  # CHAT_MODELS of each metered app that converses: the catalog's picker, each model through the
  # app's own profile (the app reads the same setting as before).
  app_chat_models = {
    for name, profiles in local.app_profiles : name => jsonencode([
      for m in local.chat_models : { label = m.label, model_id = profiles[m.model_id].arn, foundation_model_id = m.foundation_model_id }
    ]) if contains(local.deployments[name].models, "chat")
  }
  # What genai_common's meter reads: the table and the declaration's budgets for this tier.
  token_budget_env = {
    for name in local.metered_apps : name => {
      TOKEN_BUDGET_TABLE      = data.aws_ssm_parameter.bedrock["token-budget-table"].value
      APP_DAILY_TOKEN_BUDGET  = tostring(local.deployments[name].budgets.app_daily_tokens[local.tier])
      USER_DAILY_TOKEN_BUDGET = tostring(local.deployments[name].budgets.user_daily_tokens[local.tier])
    }
  }
  guardrail_env = {
    GUARDRAIL_ID      = data.aws_ssm_parameter.bedrock["guardrail-id"].value
    GUARDRAIL_VERSION = data.aws_ssm_parameter.bedrock["guardrail-version"].value
  }
}

data "aws_ssm_parameter" "inference_profiles" {
  for_each = local.metered_apps
  name     = "${local.bedrock}/inference-profiles/${each.key}"
}

data "aws_iam_policy_document" "converse" {
  for_each = local.metered_apps

  source_policy_documents = [data.aws_iam_policy_document.charge_token_budgets.json]

  statement {
    sid       = "InvokeOwnInferenceProfiles"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    resources = [for p in values(local.app_profiles[each.key]) : p.arn]
  }
  # A profile routes to its model (in any destination Region of a cross-region one); the
  # condition allows the model only when the call comes through one of the app's profiles.
  statement {
    sid       = "InvokeModelsThroughOwnProfiles"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    resources = distinct([for p in values(local.app_profiles[each.key]) : "arn:aws:bedrock:*::foundation-model/${p.foundation_model_id}"])
    condition {
      test     = "StringEquals"
      variable = "bedrock:InferenceProfileArn"
      values   = [for p in values(local.app_profiles[each.key]) : p.arn]
    }
  }
  statement {
    sid       = "ApplyThePlatformGuardrail"
    actions   = ["bedrock:ApplyGuardrail"]
    resources = [data.aws_ssm_parameter.bedrock["guardrail-arn"].value]
  }
}

# genai_common's meter, in every metered app whatever model it calls: GetItem to check a budget,
# a conditional UpdateItem to charge it.
data "aws_iam_policy_document" "charge_token_budgets" {
  statement {
    sid       = "CheckAndChargeTokenBudgets"
    actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = [data.aws_ssm_parameter.bedrock["token-budget-table-arn"].value]
  }
  statement {
    sid       = "UseTheBudgetKeyThroughDynamoDB"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [data.aws_ssm_parameter.bedrock["token-budget-kms-key-arn"].value]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["dynamodb.${local.region}.amazonaws.com"]
    }
  }
}
