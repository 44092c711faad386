data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
}

# The account administers and uses the key through IAM policies; services that need more (e.g.
# CloudWatch Logs) get their statements from policy_documents.
data "aws_iam_policy_document" "this" {
  # checkov:skip=CKV_AWS_109:A key policy's resource is always the key itself ("*").
  # checkov:skip=CKV_AWS_111:A key policy's resource is always the key itself ("*").
  # checkov:skip=CKV_AWS_356:A key policy's resource is always the key itself ("*").
  source_policy_documents = var.policy_documents

  statement {
    sid       = "AccountAdministersKeyThroughIam"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  # CloudWatch Logs encrypts the listed log groups with the key, and only those.
  dynamic "statement" {
    for_each = length(var.log_group_names) > 0 ? [1] : []
    content {
      sid       = "LogsEncryptTheListedLogGroups"
      actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
      resources = ["*"]
      principals {
        type        = "Service"
        identifiers = ["logs.${local.region}.amazonaws.com"]
      }
      condition {
        test     = "ArnEquals"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values   = [for name in var.log_group_names : "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${name}"]
      }
    }
  }
}

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_days
  policy                  = data.aws_iam_policy_document.this.json
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.alias}"
  target_key_id = aws_kms_key.this.key_id
}
