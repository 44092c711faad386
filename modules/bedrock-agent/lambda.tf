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
    resources = [module.signer.arn]
  }
}

locals {
  # The function's settings (apps/case_sheets_domain/settings.py); tests read them here.
  function_environment = {
    CASE_TABLE       = aws_dynamodb_table.cases.name
    CASE_BUCKET      = module.sheets.name
    CASE_PREFIX      = local.sheets_prefix
    PRESIGN_SECONDS  = tostring(var.download_link_seconds)
    SIGNING_ROLE_ARN = module.signer.arn
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

# The links are signed with sessions of this role (modules/link-signing-role).
module "signer" {
  source = "../link-signing-role"

  name                 = "${local.function_name}-signer"
  description          = "Signs the ${local.function_name} download links: reads the workbooks only"
  function_role_arn    = module.function.role_arn
  objects_arn          = "${module.sheets.arn}/${local.sheets_prefix}*"
  kms_key_arn          = module.key.arn
  region               = local.region
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
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
