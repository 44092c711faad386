# A Python Lambda the way the platform runs them: arm64, a recent runtime, X-Ray tracing, a log
# group encrypted with the capability's key, and a role allowed its logs, its traces and what the
# caller grants, nothing more.

data "aws_partition" "current" {}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
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

resource "aws_iam_role" "this" {
  name                 = "${var.name}-function"
  description          = "Lambda ${var.name}: ${var.description}"
  assume_role_policy   = data.aws_iam_policy_document.assume_by_lambda.json
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
}

data "aws_iam_policy_document" "this" {
  source_policy_documents = [var.policy_json]

  statement {
    sid       = "WriteItsLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }
  # X-Ray takes no resource ARN for these two actions.
  statement {
    sid       = "SendTraces"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "this" {
  name   = var.name
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

# Network interfaces in the VPC: the AWS managed policy for VPC-attached functions.
resource "aws_iam_role_policy_attachment" "vpc" {
  count = var.vpc == null ? 0 : 1

  role       = aws_iam_role.this.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_lambda_function" "this" {
  # checkov:skip=CKV_AWS_116:Callers invoke it synchronously (an agent, Terraform) and see every error; a dead-letter queue applies to asynchronous invocations only.
  # checkov:skip=CKV_AWS_272:The zip is built reproducibly from this repository by scripts/package-lambda; code signing is a per-organisation choice.
  # checkov:skip=CKV_AWS_117:Functions that reach nothing in a VPC run outside one; vpc attaches those that do.
  # checkov:skip=CKV_AWS_115:Concurrency is reserved only when reserved_concurrency asks: new accounts refuse any reservation.
  function_name                  = var.name
  description                    = var.description
  role                           = aws_iam_role.this.arn
  runtime                        = "python3.13"
  architectures                  = ["arm64"]
  handler                        = var.handler
  filename                       = var.package_path
  source_code_hash               = filebase64sha256(var.package_path)
  timeout                        = var.timeout
  memory_size                    = var.memory
  reserved_concurrent_executions = var.reserved_concurrency
  kms_key_arn                    = var.kms_key_arn
  tags                           = var.tags

  dynamic "environment" {
    for_each = length(var.environment) > 0 ? [var.environment] : []
    content {
      variables = environment.value
    }
  }

  dynamic "vpc_config" {
    for_each = var.vpc == null ? [] : [var.vpc]
    content {
      subnet_ids         = vpc_config.value.subnet_ids
      security_group_ids = vpc_config.value.security_group_ids
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  depends_on = [aws_iam_role_policy.this, aws_iam_role_policy_attachment.vpc]
}
