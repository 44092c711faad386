# The code-generation API: POST /code-generation on an API Gateway HTTP API, authorised by IAM
# (SigV4), integrated with a Lambda (apps/code_generation) that asks a catalog model, under the
# platform guardrail, to write code and keeps it in an encrypted bucket.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.region
  function   = "${var.name}-code-generation"
  # What the function calls: the API's own application inference profiles where it has them,
  # else the catalog's cross-region profiles.
  profile_arns = [for m in var.models : coalesce(m.profile_arn, "arn:aws:bedrock:${local.region}:${local.account_id}:inference-profile/${m.model_id}")]
  # The seed's method (PUT) stays as an alias: it costs one route.
  routes = toset(["POST /code-generation", "PUT /code-generation"])
}

module "key" {
  source = "../kms-key"

  alias           = "${var.name}-code-generation"
  description     = "Encrypts the ${var.name} generated code, its function and its logs"
  log_group_names = ["/aws/lambda/${local.function}", local.access_log_group]
  tags            = var.tags
}

module "bucket" {
  source = "../private-bucket"

  name          = "${var.name}-generated-code-${local.account_id}"
  kms_key_arn   = module.key.arn
  force_destroy = var.force_destroy
  tags          = var.tags
}

data "aws_iam_policy_document" "function" {
  source_policy_documents = var.token_budget == null ? [] : [var.token_budget.policy_json]

  statement {
    sid       = "InvokeCatalogInferenceProfiles"
    actions   = ["bedrock:InvokeModel"]
    resources = local.profile_arns
  }
  # A cross-region profile routes to the model in any of its Regions; only through the profiles.
  statement {
    sid       = "InvokeCatalogModelsThroughProfiles"
    actions   = ["bedrock:InvokeModel"]
    resources = [for m in var.models : "arn:aws:bedrock:*::foundation-model/${m.foundation_model_id}"]
    condition {
      test     = "StringEquals"
      variable = "bedrock:InferenceProfileArn"
      values   = local.profile_arns
    }
  }
  statement {
    sid       = "ApplyThePlatformGuardrail"
    actions   = ["bedrock:ApplyGuardrail"]
    resources = [var.guardrail_arn]
  }
  statement {
    sid       = "AssumeTheSigningRole"
    actions   = ["sts:AssumeRole"]
    resources = [module.signer.arn]
  }
  # GetObject signs the download link the response carries.
  statement {
    sid       = "WriteAndShareGeneratedCode"
    actions   = ["s3:PutObject", "s3:GetObject"]
    resources = ["${module.bucket.arn}/${var.prefix}*"]
  }
  statement {
    sid       = "UseTheBucketKeyThroughS3"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [module.key.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }
}

locals {
  # The function's settings (apps/code_generation/settings.py); tests read them here.
  environment = merge({
    CODE_BUCKET   = module.bucket.name
    CODE_PREFIX   = var.prefix
    CHAT_PROVIDER = "bedrock"
    CHAT_MODELS = jsonencode([
      for m in var.models : m.profile_arn == null ? { label = m.label, model_id = m.model_id } : { label = m.label, model_id = m.profile_arn, foundation_model_id = m.foundation_model_id }
    ])
    GUARDRAIL_ID         = var.guardrail_id
    GUARDRAIL_VERSION    = var.guardrail_version
    DEADLINE_SECONDS     = tostring(var.deadline_seconds)
    DOWNLOAD_URL_SECONDS = tostring(var.download_url_seconds)
    APP_NAME             = var.metered_as.app
    PLATFORM_ENVIRONMENT = var.metered_as.environment
    SIGNING_ROLE_ARN     = module.signer.arn
    }, var.token_budget == null ? {} : {
    TOKEN_BUDGET_TABLE      = var.token_budget.table_name
    APP_DAILY_TOKEN_BUDGET  = tostring(var.token_budget.app_daily_tokens)
    USER_DAILY_TOKEN_BUDGET = tostring(var.token_budget.user_daily_tokens)
  })
}

module "function" {
  source = "../lambda-function"

  permissions_boundary = var.permissions_boundary

  name         = local.function
  description  = "Writes code for an instruction with a catalog model (POST /code-generation)"
  handler      = "code_generation.handler.lambda_handler"
  package_path = var.package_path
  policy_json  = data.aws_iam_policy_document.function.json
  kms_key_arn  = module.key.arn
  # API Gateway gives up after 30 s: the function answers 504 itself at deadline_seconds and
  # is stopped a little later, so the caller always gets its own error, never a bare timeout.
  timeout              = var.deadline_seconds + 3
  memory               = 512
  reserved_concurrency = var.reserved_concurrency
  log_retention_days   = var.log_retention_days
  tags                 = var.tags

  environment = local.environment
}

# The download links are signed with sessions of this role (modules/link-signing-role).
module "signer" {
  source = "../link-signing-role"

  name                 = "${local.function}-signer"
  description          = "Signs the ${local.function} download links: reads the generated code only"
  function_role_arn    = module.function.role_arn
  objects_arn          = "${module.bucket.arn}/${var.prefix}*"
  kms_key_arn          = module.key.arn
  region               = local.region
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
}
