# The action group's Lambda: writes workbooks under its prefix and records in its table.

resource "aws_cloudwatch_log_group" "function" {
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = module.key.arn
  tags              = var.tags
}

data "aws_iam_policy_document" "assume_by_lambda" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  name               = "${var.name}-case-sheets-function"
  description        = "Lambda ${local.function_name}: its table, its prefix of the sheets bucket, its logs"
  assume_role_policy = data.aws_iam_policy_document.assume_by_lambda.json
  tags               = var.tags
}

data "aws_iam_policy_document" "function" {
  statement {
    sid       = "WriteItsLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function.arn}:*"]
  }
  statement {
    sid       = "ReadAndCreateCases"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem"]
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
  # X-Ray takes no resource ARN for these two actions.
  statement {
    sid       = "SendTraces"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "function" {
  name   = "case-sheets"
  role   = aws_iam_role.function.id
  policy = data.aws_iam_policy_document.function.json
}

resource "aws_lambda_function" "case_sheets" {
  # checkov:skip=CKV_AWS_116:The agent invokes it synchronously and relays any error; a dead-letter queue applies to asynchronous invocations only.
  # checkov:skip=CKV_AWS_117:It calls only S3 and DynamoDB through their public endpoints with IAM; no VPC resource is involved.
  # checkov:skip=CKV_AWS_272:The zip is built reproducibly in CI from this repository; code signing is a per-organisation choice.
  function_name                  = local.function_name
  description                    = "Bedrock Agent action group: generateCaseSheet and checkCase"
  role                           = aws_iam_role.function.arn
  runtime                        = "python3.13"
  architectures                  = ["arm64"]
  handler                        = "case_sheets.handler.lambda_handler"
  filename                       = var.package_path
  source_code_hash               = filebase64sha256(var.package_path)
  timeout                        = var.lambda_timeout
  memory_size                    = var.lambda_memory
  reserved_concurrent_executions = var.lambda_reserved_concurrency
  kms_key_arn                    = module.key.arn
  tags                           = var.tags

  environment {
    variables = {
      CASE_TABLE      = aws_dynamodb_table.cases.name
      CASE_BUCKET     = module.sheets.name
      CASE_PREFIX     = local.sheets_prefix
      PRESIGN_SECONDS = tostring(var.download_link_seconds)
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function.name
  }

  depends_on = [aws_iam_role_policy.function]
}

# Only this agent may invoke the function.
resource "aws_lambda_permission" "agent" {
  statement_id   = "AllowTheCaseSheetsAgent"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.case_sheets.function_name
  principal      = "bedrock.amazonaws.com"
  source_account = local.account_id
  source_arn     = aws_bedrockagent_agent.this.agent_arn
}
