# The Managed Service for Apache Flink application (apps/review_stream/flink_job.py). Runtime
# FLINK-2_2: PyFlink 2.2 is the first release whose DataStream API takes Python async
# functions (AsyncDataStream with a Python AsyncFunction), which is what keeps many Bedrock
# calls in flight per task; the service's API lists FLINK-2_2 and FLINK-2_3.

locals {
  # The layout of the flink-app workflow's zip (scripts/package-flink-app): the entry point, the
  # shaded Kinesis connector, and the job's package with its libraries for Python 3.12.
  flink_run_options = {
    python  = "main.py"
    jarfile = "lib/pyflink-dependencies.jar"
    pyFiles = "lib/python"
  }
  # Known before the application exists: its key's policy names it.
  app_arn = "arn:aws:kinesisanalytics:${module.environment.region}:${data.aws_caller_identity.current.account_id}:application/${local.app_name}"
}

data "aws_iam_policy_document" "app_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["kinesisanalytics.amazonaws.com"]
    }
    # Only for this account's applications (confused deputy).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "app" {
  name                 = "${local.app_name}-app"
  description          = "Service execution role of the ${local.app_name} Flink application"
  assume_role_policy   = data.aws_iam_policy_document.app_trust.json
  permissions_boundary = local.permissions_boundary
  tags                 = local.tags
}

data "aws_iam_policy_document" "app" {
  statement {
    sid = "ReadTheReviewStream"
    actions = [
      "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords",
      "kinesis:GetShardIterator", "kinesis:ListShards",
    ]
    resources = [aws_kinesis_stream.reviews.arn]
  }
  statement {
    sid       = "ReadTheCode"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${module.code_bucket.arn}/review-sentiment/*"]
  }
  # The stream's records and the code are encrypted with the stack's key: read through Kinesis
  # and S3 only (the application writes nothing under it).
  statement {
    sid       = "UseTheKey"
    actions   = ["kms:Decrypt"]
    resources = [module.key.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["kinesis.${module.environment.region}.amazonaws.com", "s3.${module.environment.region}.amazonaws.com"]
    }
  }
  statement {
    sid       = "InvokeTheModelThroughItsProfile"
    actions   = ["bedrock:InvokeModel"]
    resources = [local.profile_arn]
  }
  # A cross-region profile routes to the model in any of its Regions; only through the profile.
  statement {
    sid       = "InvokeTheModelBehindTheProfile"
    actions   = ["bedrock:InvokeModel"]
    resources = ["arn:aws:bedrock:*::foundation-model/${local.model.foundation_model_id}"]
    condition {
      test     = "StringEquals"
      variable = "bedrock:InferenceProfileArn"
      values   = [local.profile_arn]
    }
  }
  statement {
    sid       = "WriteResults"
    actions   = ["aoss:APIAccessAll"]
    resources = [module.collection.arn]
  }
  statement {
    sid       = "WriteLogs"
    actions   = ["logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${aws_cloudwatch_log_group.app.arn}:*"]
  }
  statement {
    sid       = "ListLogGroups"
    actions   = ["logs:DescribeLogGroups"]
    resources = ["arn:aws:logs:${module.environment.region}:${data.aws_caller_identity.current.account_id}:log-group:*"]
  }
  # The application runs in the VPC: the service attaches its network interfaces with this role.
  statement {
    sid = "DescribeTheVpc"
    actions = [
      "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeDhcpOptions",
      "ec2:DescribeNetworkInterfaces",
    ]
    resources = ["*"]
  }
  # The subnets and security groups must be the platform VPC's. The interfaces themselves are
  # left unconditioned: not every key is present while an interface is created or shared.
  statement {
    sid     = "UseTheVpcSubnetsAndGroups"
    actions = ["ec2:CreateNetworkInterface"]
    resources = [
      "arn:aws:ec2:${module.environment.region}:${data.aws_caller_identity.current.account_id}:subnet/*",
      "arn:aws:ec2:${module.environment.region}:${data.aws_caller_identity.current.account_id}:security-group/*",
    ]
    condition {
      test     = "StringEquals"
      variable = "ec2:Vpc"
      values   = ["arn:aws:ec2:${module.environment.region}:${data.aws_caller_identity.current.account_id}:vpc/${local.vpc_id}"]
    }
  }
  statement {
    sid       = "AttachNetworkInterfaces"
    actions   = ["ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface"]
    resources = ["arn:aws:ec2:${module.environment.region}:${data.aws_caller_identity.current.account_id}:network-interface/*"]
  }
}

resource "aws_iam_role_policy" "app" {
  name   = "review-sentiment"
  role   = aws_iam_role.app.name
  policy = data.aws_iam_policy_document.app.json
}

# IAM is eventually consistent, and Managed Flink checks its execution role's access when the
# application is created or updated: the application waits this long after its role's policy
# is written, and again after each change to it (the time provider's recommended use).
resource "time_sleep" "app_role" {
  create_duration = var.role_propagation_wait

  triggers = {
    role   = aws_iam_role.app.unique_id
    policy = aws_iam_role_policy.app.policy
  }
}

# The application's state (running state, checkpoints, snapshots) is encrypted with the stack's
# key. Managed Flink uses the key through its two service principals, for this application
# only: the key-policy statements of the Managed Flink guide ("Managing CMK using APIs"). Who
# creates and updates the application (Terraform's role) uses the key through IAM, which the
# key's account statement delegates to.
data "aws_iam_policy_document" "key_for_application_state" {
  # checkov:skip=CKV_AWS_109:A key policy's resource is always the key itself ("*").
  # checkov:skip=CKV_AWS_111:A key policy's resource is always the key itself ("*").
  # checkov:skip=CKV_AWS_356:A key policy's resource is always the key itself ("*").
  statement {
    sid       = "FlinkDescribesTheKey"
    actions   = ["kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["kinesisanalytics.amazonaws.com", "infrastructure.kinesisanalytics.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.app_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
  statement {
    sid       = "FlinkEncryptsDurableState"
    actions   = ["kms:GenerateDataKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["kinesisanalytics.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.app_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:kinesisanalytics:arn"
      values   = [local.app_arn]
    }
  }
  statement {
    sid       = "FlinkDecryptsDurableState"
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["kinesisanalytics.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:kinesisanalytics:arn"
      values   = [local.app_arn]
    }
  }
  statement {
    sid       = "FlinkUsesTheKeyForRunningState"
    actions   = ["kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["infrastructure.kinesisanalytics.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:kinesisanalytics:arn"
      values   = [local.app_arn]
    }
  }
  statement {
    sid       = "FlinkGrantsDecryptForRunningState"
    actions   = ["kms:CreateGrant"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["infrastructure.kinesisanalytics.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:kinesisanalytics:arn"
      values   = [local.app_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:GrantConstraintType"
      values   = ["EncryptionContextSubset"]
    }
    condition {
      test     = "ForAllValues:StringEquals"
      variable = "kms:GrantOperations"
      values   = ["Decrypt"]
    }
  }
}

resource "aws_security_group" "app" {
  # checkov:skip=CKV2_AWS_5:Attached to the Flink application through its vpc_configuration.
  name_prefix = "${local.app_name}-"
  description = "The ${local.app_name} Flink application: HTTPS out (Kinesis, Bedrock, the collection)"
  vpc_id      = local.vpc_id
  tags        = local.tags

  lifecycle {
    create_before_destroy = true
  }
}

# Kinesis and Bedrock are reached through the VPC's NAT gateways (the VPC has no interface
# endpoints for them), the collection through its endpoint; all of it is HTTPS.
#trivy:ignore:AVD-AWS-0104
resource "aws_vpc_security_group_egress_rule" "app_https" {
  security_group_id = aws_security_group.app.id
  description       = "HTTPS to AWS APIs and the collection endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  tags              = local.tags
}

resource "aws_cloudwatch_log_group" "app" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = module.key.arn
  tags              = local.tags
}

resource "aws_cloudwatch_log_stream" "app" {
  name           = "application"
  log_group_name = aws_cloudwatch_log_group.app.name
}

resource "aws_kinesisanalyticsv2_application" "reviews" {
  count = var.flink_app_package == null ? 0 : 1

  name                   = local.app_name
  description            = "Summarises each review and tells its sentiment with Bedrock; results to ${local.collection_name}"
  runtime_environment    = "FLINK-2_2"
  service_execution_role = aws_iam_role.app.arn
  start_application      = true
  tags                   = local.tags

  application_configuration {
    application_encryption_configuration {
      key_type = "CUSTOMER_MANAGED_KEY"
      key_id   = module.key.arn
    }

    application_code_configuration {
      code_content_type = "ZIPFILE"
      code_content {
        s3_content_location {
          bucket_arn     = module.code_bucket.arn
          file_key       = aws_s3_object.flink_app[0].key
          object_version = aws_s3_object.flink_app[0].version_id
        }
      }
    }

    # Snapshots on stop and update: the Kinesis positions survive a deploy, so nothing is read
    # twice or skipped (and a replay would only overwrite, documents being keyed by review id).
    application_snapshot_configuration {
      snapshots_enabled = true
    }

    environment_properties {
      property_group {
        property_group_id = "kinesis.analytics.flink.run.options"
        property_map      = local.flink_run_options
      }
      property_group {
        property_group_id = "ReviewStream"
        property_map = {
          STREAM_ARN          = aws_kinesis_stream.reviews.arn
          AWS_REGION          = module.environment.region
          MODEL_ID            = local.model.model_id
          OPENSEARCH_ENDPOINT = module.collection.endpoint
          CAPACITY            = tostring(var.async_capacity)
          TIMEOUT_SECONDS     = tostring(var.async_timeout_seconds)
          MAX_ATTEMPTS        = tostring(var.max_attempts)
          # The job's metrics' Environment dimension (genai_common.metering).
          PLATFORM_ENVIRONMENT = var.environment
        }
      }
    }

    flink_application_configuration {
      checkpoint_configuration {
        configuration_type = "DEFAULT"
      }
      monitoring_configuration {
        configuration_type = "CUSTOM"
        log_level          = "INFO"
        metrics_level      = "APPLICATION"
      }
      parallelism_configuration {
        configuration_type   = "CUSTOM"
        parallelism          = var.flink_parallelism
        parallelism_per_kpu  = var.flink_parallelism_per_kpu
        auto_scaling_enabled = var.flink_auto_scaling
      }
    }

    run_configuration {
      application_restore_configuration {
        application_restore_type = "RESTORE_FROM_LATEST_SNAPSHOT"
      }
      flink_run_configuration {
        allow_non_restored_state = var.allow_non_restored_state
      }
    }

    vpc_configuration {
      subnet_ids         = local.subnet_ids
      security_group_ids = [aws_security_group.app.id]
    }
  }

  cloudwatch_logging_options {
    log_stream_arn = aws_cloudwatch_log_stream.app.arn
  }

  # The role's policy has propagated, and the indexes exist before the first record is written.
  depends_on = [time_sleep.app_role, module.collection]
}
