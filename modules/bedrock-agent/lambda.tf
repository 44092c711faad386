# The action group's Lambda: writes workbooks under its prefix and records in its table.

data "aws_iam_policy_document" "function" {
  statement {
    sid       = "ReadAndCreateCases"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
    resources = [aws_dynamodb_table.cases.arn]
  }
  statement {
    sid       = "ReadAndWriteSheets"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${module.sheets.arn}/${local.sheets_prefix}*"]
  }
  statement {
    sid       = "UseTheCaseKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [module.key.arn]
  }
  statement {
    sid       = "AssumeTheSigningRole"
    actions   = ["sts:AssumeRole"]
    resources = [aws_iam_role.signer.arn]
  }
}

locals {
  # The function's settings (apps/case_sheets_domain/settings.py); tests read them here.
  function_environment = {
    CASE_TABLE       = aws_dynamodb_table.cases.name
    CASE_BUCKET      = module.sheets.name
    CASE_PREFIX      = local.sheets_prefix
    PRESIGN_SECONDS  = tostring(var.download_link_seconds)
    SIGNING_ROLE_ARN = aws_iam_role.signer.arn
  }
}

module "function" {
  source = "../lambda-function"

  permissions_boundary = var.permissions_boundary

  name                 = local.function_name
  description          = "Bedrock Agent action group: generateCaseSheet and checkCase"
  handler              = "case_sheets.handler.lambda_handler"
  package_path         = var.package_path
  policy_json          = data.aws_iam_policy_document.function.json
  kms_key_arn          = module.key.arn
  timeout              = var.lambda_timeout
  memory               = var.lambda_memory
  reserved_concurrency = var.lambda_reserved_concurrency
  log_retention_days   = var.log_retention_days
  tags                 = var.tags

  environment = local.function_environment
}

# The links are signed with sessions of this role, whose length the function chooses
# (apps/genai_common/presign.py): the function's own session ends at a time its environment
# does not state, and a link dies with the credentials that signed it.
data "aws_iam_policy_document" "assume_by_function" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [module.function.role_arn]
    }
  }
}

resource "aws_iam_role" "signer" {
  name                 = "${local.function_name}-signer"
  description          = "Signs the ${local.function_name} download links: reads the workbooks only"
  assume_role_policy   = data.aws_iam_policy_document.assume_by_function.json
  permissions_boundary = var.permissions_boundary
  # Sessions are chained from the function's role: STS caps them at an hour whatever this says.
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "signer" {
  statement {
    sid       = "ReadSheets"
    actions   = ["s3:GetObject"]
    resources = ["${module.sheets.arn}/${local.sheets_prefix}*"]
  }
  statement {
    sid       = "DecryptThemThroughS3"
    actions   = ["kms:Decrypt"]
    resources = [module.key.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "signer" {
  name   = "${local.function_name}-signer"
  role   = aws_iam_role.signer.id
  policy = data.aws_iam_policy_document.signer.json
}

moved {
  from = aws_lambda_function.case_sheets
  to   = module.function.aws_lambda_function.this
}

moved {
  from = aws_iam_role.function
  to   = module.function.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.function
  to   = module.function.aws_iam_role_policy.this
}

moved {
  from = aws_cloudwatch_log_group.function
  to   = module.function.aws_cloudwatch_log_group.this
}

# Only this agent may invoke the function.
resource "aws_lambda_permission" "agent" {
  statement_id   = "AllowTheCaseSheetsAgent"
  action         = "lambda:InvokeFunction"
  function_name  = module.function.function_name
  principal      = "bedrock.amazonaws.com"
  source_account = local.account_id
  source_arn     = aws_bedrockagent_agent.this.agent_arn
}
