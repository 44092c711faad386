# The raw reviews, archived: a Firehose stream reads the review stream (a second consumer beside
# the Flink application) and writes every record, one JSON object a line, to an encrypted bucket
# under reviews/date=YYYY-MM-DD/ (the day it arrived, UTC). The operations stack's batch DAG runs
# Bedrock batch inference over one day of it.

locals {
  archive_name   = "${local.name}-reviews-archive"
  archive_prefix = "reviews/"
  # Firehose writes a file when 64 MB or 15 minutes have gathered, whichever comes first: a day
  # of a demo's trickle is a few dozen files, and a busy day still few enough to list.
  archive_buffer_mb      = 64
  archive_buffer_seconds = 900
  archive_log_group      = "/aws/kinesisfirehose/${local.archive_name}"
}

# Its own key: the archive outlives the stream's records, and the logs service may encrypt the
# delivery stream's log group with it.
module "archive_key" {
  source = "../../modules/kms-key"

  alias           = local.archive_name
  description     = "Encrypts the ${local.name} review archive and its delivery logs"
  log_group_names = [local.archive_log_group]
  tags            = local.tags
}

module "archive_bucket" {
  source = "../../modules/private-bucket"

  name          = "${local.archive_name}-${data.aws_caller_identity.current.account_id}"
  kms_key_arn   = module.archive_key.arn
  force_destroy = local.force_destroy
  tags          = local.tags
}

resource "aws_cloudwatch_log_group" "archive" {
  name              = local.archive_log_group
  retention_in_days = var.log_retention_days
  kms_key_id        = module.archive_key.arn
  tags              = local.tags
}

resource "aws_cloudwatch_log_stream" "archive" {
  name           = "DestinationDelivery"
  log_group_name = aws_cloudwatch_log_group.archive.name
}

data "aws_iam_policy_document" "archive_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["firehose.amazonaws.com"]
    }
    # Only for this account's delivery streams (confused deputy): Firehose passes the account
    # as the external id.
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "archive" {
  name                 = local.archive_name
  description          = "Firehose ${local.archive_name}: reads the review stream, writes the archive bucket"
  assume_role_policy   = data.aws_iam_policy_document.archive_trust.json
  permissions_boundary = local.permissions_boundary
  tags                 = local.tags
}

data "aws_iam_policy_document" "archive" {
  statement {
    sid       = "ReadTheReviewStream"
    actions   = ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards"]
    resources = [aws_kinesis_stream.reviews.arn]
  }
  # The stream's records are encrypted with the stack's key; Firehose decrypts them through Kinesis.
  statement {
    sid       = "DecryptTheStreamThroughKinesis"
    actions   = ["kms:Decrypt"]
    resources = [module.key.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["kinesis.${module.environment.region}.amazonaws.com"]
    }
  }
  statement {
    sid       = "FindTheBucket"
    actions   = ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"]
    resources = [module.archive_bucket.arn]
  }
  statement {
    sid       = "WriteTheArchive"
    actions   = ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"]
    resources = ["${module.archive_bucket.arn}/${local.archive_prefix}*", "${module.archive_bucket.arn}/errors/*"]
  }
  statement {
    sid       = "EncryptTheArchiveThroughS3"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [module.archive_key.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${module.environment.region}.amazonaws.com"]
    }
  }
  statement {
    sid       = "WriteDeliveryErrors"
    actions   = ["logs:PutLogEvents"]
    resources = [aws_cloudwatch_log_stream.archive.arn]
  }
}

resource "aws_iam_role_policy" "archive" {
  name   = "reviews-archive"
  role   = aws_iam_role.archive.name
  policy = data.aws_iam_policy_document.archive.json
}

# Firehose checks the role's access when the stream is created; IAM is eventually consistent.
resource "time_sleep" "archive_role" {
  create_duration = var.role_propagation_wait

  triggers = {
    role   = aws_iam_role.archive.unique_id
    policy = aws_iam_role_policy.archive.policy
  }
}

# A stream with a Kinesis source takes no server-side encryption of its own: the records stay
# encrypted in the source stream, and Firehose writes them to S3 under the archive's key.
resource "aws_kinesis_firehose_delivery_stream" "archive" {
  # checkov:skip=CKV_AWS_240:The source is the KMS-encrypted review stream; Firehose refuses server-side encryption for a Kinesis source.
  # checkov:skip=CKV_AWS_241:The source is the KMS-encrypted review stream; Firehose refuses server-side encryption for a Kinesis source.
  name        = local.archive_name
  destination = "extended_s3"
  tags        = local.tags

  kinesis_source_configuration {
    kinesis_stream_arn = aws_kinesis_stream.reviews.arn
    role_arn           = aws_iam_role.archive.arn
  }

  extended_s3_configuration {
    role_arn            = aws_iam_role.archive.arn
    bucket_arn          = module.archive_bucket.arn
    kms_key_arn         = module.archive_key.arn
    prefix              = "${local.archive_prefix}date=!{timestamp:yyyy-MM-dd}/"
    error_output_prefix = "errors/!{firehose:error-output-type}/date=!{timestamp:yyyy-MM-dd}/"
    buffering_size      = local.archive_buffer_mb
    buffering_interval  = local.archive_buffer_seconds
    compression_format  = "UNCOMPRESSED"
    file_extension      = ".jsonl"

    # One review a line (JSONL): the producer sends bare JSON objects.
    processing_configuration {
      enabled = true
      processors {
        type = "AppendDelimiterToRecord"
      }
    }

    cloudwatch_logging_options {
      enabled         = true
      log_group_name  = aws_cloudwatch_log_group.archive.name
      log_stream_name = aws_cloudwatch_log_stream.archive.name
    }
  }

  depends_on = [time_sleep.archive_role]
}
