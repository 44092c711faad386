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
  name               = "${local.app_name}-app"
  description        = "Service execution role of the ${local.app_name} Flink application"
  assume_role_policy = data.aws_iam_policy_document.app_trust.json
  tags               = local.tags
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
      values   = ["kinesis.${var.region}.amazonaws.com", "s3.${var.region}.amazonaws.com"]
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
    resources = ["arn:aws:bedrock:*::foundation-model/${var.model.foundation_model_id}"]
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
    resources = ["arn:aws:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:*"]
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
      "arn:aws:ec2:${var.region}:${data.aws_caller_identity.current.account_id}:subnet/*",
      "arn:aws:ec2:${var.region}:${data.aws_caller_identity.current.account_id}:security-group/*",
    ]
    condition {
      test     = "StringEquals"
      variable = "ec2:Vpc"
      values   = ["arn:aws:ec2:${var.region}:${data.aws_caller_identity.current.account_id}:vpc/${local.vpc_id}"]
    }
  }
  statement {
    sid       = "AttachNetworkInterfaces"
    actions   = ["ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface"]
    resources = ["arn:aws:ec2:${var.region}:${data.aws_caller_identity.current.account_id}:network-interface/*"]
  }
}

resource "aws_iam_role_policy" "app" {
  name   = "review-sentiment"
  role   = aws_iam_role.app.name
  policy = data.aws_iam_policy_document.app.json
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
          AWS_REGION          = var.region
          MODEL_ID            = var.model.model_id
          OPENSEARCH_ENDPOINT = module.collection.endpoint
          CAPACITY            = tostring(var.async_capacity)
          TIMEOUT_SECONDS     = tostring(var.async_timeout_seconds)
          MAX_ATTEMPTS        = tostring(var.max_attempts)
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
        allow_non_restored_state = false
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

  # The indexes exist before the first record is written.
  depends_on = [aws_iam_role_policy.app, module.collection]
}
