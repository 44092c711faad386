data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id    = data.aws_caller_identity.current.account_id
  partition     = data.aws_partition.current.partition
  region        = data.aws_region.current.region
  function_name = "${var.name}-case-sheets"
  sheets_prefix = "case-sheets/"
}

# One key for the case data: agent, table, sheets, the function's logs and environment.
module "key" {
  source = "../kms-key"

  alias            = "${var.name}-case-sheets"
  description      = "Encrypts the ${var.name} case sheets: agent, table, workbooks, logs"
  policy_documents = [data.aws_iam_policy_document.logs_key.json]
  tags             = var.tags
}

# CloudWatch Logs encrypts the function's log group with the key, and only that log group.
data "aws_iam_policy_document" "logs_key" {
  # checkov:skip=CKV_AWS_109:A key policy's resource is always the key itself ("*").
  # checkov:skip=CKV_AWS_111:A key policy's resource is always the key itself ("*").
  # checkov:skip=CKV_AWS_356:A key policy's resource is always the key itself ("*").
  statement {
    sid       = "LogsEncryptTheFunctionLogGroup"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/lambda/${local.function_name}"]
    }
  }
}

module "sheets" {
  source = "../private-bucket"

  name          = "${var.name}-case-sheets-${local.account_id}"
  kms_key_arn   = module.key.arn
  force_destroy = var.force_destroy
  tags          = var.tags
}

resource "aws_dynamodb_table" "cases" {
  name                        = "${var.name}-case-sheets"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "caseSheetId"
  deletion_protection_enabled = var.deletion_protection
  tags                        = var.tags

  attribute {
    name = "caseSheetId"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = module.key.arn
  }
}
