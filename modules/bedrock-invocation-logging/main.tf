data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  log_group = "/aws/bedrock/${var.name}/model-invocations"
  bucket    = "${var.name}-model-invocations-${local.account_id}"
  # Where Bedrock writes in the bucket: every record, and (from the CloudWatch destination) the
  # bodies too large for a log event.
  prefixes = { records = "invocations", large_data = "large-data" }
  # Bedrock acts for this account's calls in this Region only (confused-deputy protection, as the
  # model-invocation logging guide's policies write it).
  source_arn = "arn:${local.partition}:bedrock:${local.region}:${local.account_id}:*"
}

# The logging guide's key statement for an SSE-KMS bucket: Bedrock generates the data keys of
# the objects it writes. CloudWatch Logs gets its own statement from the module (log_group_names).
data "aws_iam_policy_document" "key" {
  # checkov:skip=CKV_AWS_109:A key policy's resource is always the key itself ("*").
  # checkov:skip=CKV_AWS_111:A key policy's resource is always the key itself ("*").
  # checkov:skip=CKV_AWS_356:A key policy's resource is always the key itself ("*").
  statement {
    sid       = "BedrockEncryptsTheLogObjects"
    actions   = ["kms:GenerateDataKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["bedrock.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.source_arn]
    }
  }
}

module "key" {
  source = "../kms-key"

  alias            = "${var.name}-model-invocations"
  description      = "Encrypts the ${var.name} Bedrock model-invocation logs (bucket and log group)"
  policy_documents = [data.aws_iam_policy_document.key.json]
  log_group_names  = [local.log_group]
  tags             = var.tags
}

# The logging guide's bucket statement: Bedrock writes under AWSLogs/<account>/ of each prefix.
data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "BedrockWritesInvocationLogs"
    actions   = ["s3:PutObject"]
    resources = [for prefix in values(local.prefixes) : "arn:${local.partition}:s3:::${local.bucket}/${prefix}/AWSLogs/${local.account_id}/BedrockModelInvocationLogs/*"]
    principals {
      type        = "Service"
      identifiers = ["bedrock.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.source_arn]
    }
  }
}

module "bucket" {
  source = "../private-bucket"

  name             = local.bucket
  kms_key_arn      = module.key.arn
  policy_documents = [data.aws_iam_policy_document.bucket.json]
  force_destroy    = var.force_destroy
  tags             = var.tags
}

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group
  retention_in_days = var.log_retention_days
  kms_key_id        = module.key.arn
  tags              = var.tags
}

# The CloudWatch Logs destination takes a role that Bedrock assumes; it writes one stream.
data "aws_iam_policy_document" "assume_by_bedrock" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["bedrock.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.source_arn]
    }
  }
}

data "aws_iam_policy_document" "deliver" {
  statement {
    sid       = "WriteTheInvocationStream"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:log-stream:aws/bedrock/modelinvocations"]
  }
}

resource "aws_iam_role" "deliver" {
  name                 = "${var.name}-bedrock-invocation-logs"
  description          = "Bedrock delivers ${var.name}'s model-invocation logs to CloudWatch Logs"
  assume_role_policy   = data.aws_iam_policy_document.assume_by_bedrock.json
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
}

resource "aws_iam_role_policy" "deliver" {
  name   = "deliver-invocation-logs"
  role   = aws_iam_role.deliver.id
  policy = data.aws_iam_policy_document.deliver.json
}

# Bedrock checks that it can write to both destinations when the configuration is put; IAM is
# eventually consistent.
resource "time_sleep" "destinations_ready" {
  create_duration = "15s"

  triggers = {
    role   = aws_iam_role_policy.deliver.policy
    bucket = module.bucket.arn
  }
}

# One per account and Region: an environment that shares both with another sets this off in all
# but one of them (infra/bedrock's model_invocation_logging).
resource "aws_bedrock_model_invocation_logging_configuration" "this" {
  logging_config {
    text_data_delivery_enabled      = var.log_text
    image_data_delivery_enabled     = false
    embedding_data_delivery_enabled = false
    video_data_delivery_enabled     = false

    cloudwatch_config {
      log_group_name = aws_cloudwatch_log_group.this.name
      role_arn       = aws_iam_role.deliver.arn
      large_data_delivery_s3_config {
        bucket_name = module.bucket.name
        key_prefix  = local.prefixes.large_data
      }
    }
    s3_config {
      bucket_name = module.bucket.name
      key_prefix  = local.prefixes.records
    }
  }

  depends_on = [time_sleep.destinations_ready]
}
