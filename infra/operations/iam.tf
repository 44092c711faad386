# The MWAA execution role: what MWAA itself needs (its bucket, logs, metrics, Celery queues,
# the key through SQS and S3) and exactly what the DAGs call (the issue 14 contract), nothing
# more. Named <project>-<env>-airflow: the streaming stack admits it to the results collection
# by that name.

locals {
  invoked_models   = { for k in ["rag", "invoke"] : k => local.models[k] }
  invoked_profiles = distinct([for k, m in local.invoked_models : local.model_arns[k] if m.model_id != m.foundation_model_id])
  invoked_behind_profiles = distinct([
    for k, m in local.invoked_models : "arn:aws:bedrock:*::foundation-model/${m.foundation_model_id}" if m.model_id != m.foundation_model_id
  ])
  invoked_foundation_models = distinct([for k, m in local.invoked_models : local.model_arns[k] if m.model_id == m.foundation_model_id])

  bedrock_arn_prefix = "arn:aws:bedrock:${module.environment.region}:${local.account_id}"
  work_bucket_arn    = module.work_bucket.arn
}

data "aws_iam_policy_document" "airflow_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["airflow.amazonaws.com", "airflow-env.amazonaws.com"]
    }
    # Only for this account's environment of that name (confused deputy).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.environment_arn]
    }
  }
}

resource "aws_iam_role" "airflow" {
  count = var.mwaa_enabled ? 1 : 0

  name                 = local.environment_name
  description          = "Execution role of the MWAA environment ${local.environment_name} and its Bedrock operation DAGs"
  assume_role_policy   = data.aws_iam_policy_document.airflow_trust.json
  permissions_boundary = nonsensitive(data.aws_ssm_parameter.platform["permissions-boundary-arn"].value)
  tags                 = local.tags
}

data "aws_iam_policy_document" "airflow" {
  # --- What MWAA needs (Amazon MWAA execution role documentation) ---
  statement {
    sid       = "PublishEnvironmentMetrics"
    actions   = ["airflow:PublishMetrics"]
    resources = [local.environment_arn]
  }
  statement {
    sid       = "ReadTheDagsBucket"
    actions   = ["s3:GetObject*", "s3:GetBucket*", "s3:List*"]
    resources = [module.airflow_bucket.arn, "${module.airflow_bucket.arn}/*"]
  }
  # MWAA refuses to start from a bucket that could be public; these take no resource ARN.
  statement {
    sid       = "CheckTheAccountPublicAccessBlock"
    actions   = ["s3:GetAccountPublicAccessBlock"]
    resources = ["*"]
  }
  statement {
    sid = "WriteItsLogs"
    actions = [
      "logs:CreateLogStream", "logs:CreateLogGroup", "logs:PutLogEvents", "logs:GetLogEvents",
      "logs:GetLogRecord", "logs:GetLogGroupFields", "logs:GetQueryResults",
    ]
    resources = ["arn:aws:logs:${module.environment.region}:${local.account_id}:log-group:airflow-${local.environment_name}-*"]
  }
  statement {
    sid       = "ListLogGroups"
    actions   = ["logs:DescribeLogGroups"]
    resources = ["arn:aws:logs:${module.environment.region}:${local.account_id}:log-group:*"]
  }
  # Airflow's own metrics (the AmazonMWAA namespace) and the DAGs' model-call metrics
  # (metering.json's namespace, apps/bedrock_ops/metering.py); no other namespace.
  statement {
    sid       = "PublishMetricData"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["AmazonMWAA", local.metering.namespace]
    }
  }
  # The Celery queues live in MWAA's service account, hence any account.
  statement {
    sid = "UseTheCeleryQueues"
    actions = [
      "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
      "sqs:ReceiveMessage", "sqs:SendMessage",
    ]
    resources = ["arn:aws:sqs:${module.environment.region}:*:airflow-celery-*"]
  }
  # The stack's key encrypts the queues, the DAGs bucket and the work bucket.
  statement {
    sid       = "UseTheKeyThroughSqsAndS3"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*", "kms:Encrypt"]
    resources = [module.key.arn]
    condition {
      test     = "StringLike"
      variable = "kms:ViaService"
      values   = ["sqs.${module.environment.region}.amazonaws.com", "s3.${module.environment.region}.amazonaws.com"]
    }
  }
  # The SSM secrets backend: Airflow Variables and Connections under /<project>/<env>/airflow/.
  statement {
    sid       = "ReadAirflowVariables"
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = ["arn:aws:ssm:${module.environment.region}:${local.account_id}:parameter/${var.project}/${var.environment}/airflow/*"]
  }

  # --- KB refresh: upload changed pages, ingest ---
  # The refresh asks HeadObject whether a page is already stored: S3 answers 404 for a missing
  # key only to a caller allowed to list the bucket (403 otherwise), and a HeadObject carries no
  # s3:prefix to condition the listing on. The bucket holds the knowledge base's documents only.
  statement {
    sid       = "ListTheDocuments"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::${local.documents_bucket}"]
  }
  statement {
    sid       = "ReadAndWriteTheDocuments"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["arn:aws:s3:::${local.documents_bucket}/${local.documents_prefix}*"]
  }
  statement {
    sid       = "UseTheDocumentsKeyThroughS3"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [local.documents_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${module.environment.region}.amazonaws.com"]
    }
  }
  statement {
    sid       = "IngestIntoTheKnowledgeBase"
    actions   = ["bedrock:StartIngestionJob", "bedrock:GetIngestionJob"]
    resources = [local.knowledge_base_arn]
  }

  # --- RAG evaluation ---
  statement {
    sid       = "RetrieveFromTheKnowledgeBase"
    actions   = ["bedrock:Retrieve"]
    resources = [local.knowledge_base_arn]
  }
  # RetrieveAndGenerate takes no resource ARN; what it may read and call is still bounded by
  # the Retrieve and InvokeModel statements, which it checks as the caller.
  statement {
    sid       = "RetrieveAndGenerate"
    actions   = ["bedrock:RetrieveAndGenerate"]
    resources = ["*"]
  }
  statement {
    sid       = "WriteEvaluationResults"
    actions   = ["s3:PutObject"]
    resources = ["${local.work_bucket_arn}/rag-evaluation/*"]
  }

  # --- RAG evaluation and the smoke invoke: their models ---
  dynamic "statement" {
    for_each = length(local.invoked_profiles) > 0 ? [1] : []
    content {
      sid       = "InvokeModelsThroughProfiles"
      actions   = ["bedrock:InvokeModel"]
      resources = local.invoked_profiles
    }
  }
  dynamic "statement" {
    for_each = length(local.invoked_profiles) > 0 ? [1] : []
    content {
      sid       = "InvokeModelsBehindProfiles"
      actions   = ["bedrock:InvokeModel"]
      resources = local.invoked_behind_profiles
      condition {
        test     = "StringEquals"
        variable = "bedrock:InferenceProfileArn"
        values   = local.invoked_profiles
      }
    }
  }
  dynamic "statement" {
    for_each = length(local.invoked_foundation_models) > 0 ? [1] : []
    content {
      sid       = "InvokeFoundationModels"
      actions   = ["bedrock:InvokeModel"]
      resources = local.invoked_foundation_models
    }
  }

  # --- Batch sentiment: a day of the archive in, results to the collection ---
  statement {
    sid       = "ListTheArchive"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::${local.archive_bucket}"]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.archive_prefix}*"]
    }
  }
  statement {
    sid       = "ReadTheArchive"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${local.archive_bucket}/${local.archive_prefix}*"]
  }
  statement {
    sid       = "DecryptTheArchiveThroughS3"
    actions   = ["kms:Decrypt"]
    resources = [local.archive_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${module.environment.region}.amazonaws.com"]
    }
  }
  # The DAG writes the day's records and their sources to batch-input/, and reads the sources
  # back when it loads the results.
  statement {
    sid       = "WriteAndReadBatchInput"
    actions   = ["s3:PutObject", "s3:GetObject"]
    resources = ["${local.work_bucket_arn}/batch-input/*"]
  }
  statement {
    sid       = "ListBatchOutput"
    actions   = ["s3:ListBucket"]
    resources = [local.work_bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["batch-output/*"]
    }
  }
  statement {
    sid       = "ReadBatchOutput"
    actions   = ["s3:GetObject"]
    resources = ["${local.work_bucket_arn}/batch-output/*"]
  }
  statement {
    sid     = "StartBatchJobs"
    actions = ["bedrock:CreateModelInvocationJob"]
    resources = concat(
      [local.model_arns.batch, "${local.bedrock_arn_prefix}:model-invocation-job/*"],
      contains(keys(local.profile_models), "batch") ? ["arn:aws:bedrock:*::foundation-model/${local.models.batch.foundation_model_id}"] : [],
    )
  }
  statement {
    sid       = "FollowBatchJobs"
    actions   = ["bedrock:GetModelInvocationJob"]
    resources = ["${local.bedrock_arn_prefix}:model-invocation-job/*"]
  }
  statement {
    sid       = "PassTheBatchRole"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.bedrock["batch"].arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["bedrock.amazonaws.com"]
    }
  }
  # The data access policy (streaming stack) lets this role write batch_reviews and read
  # processed_reviews only.
  statement {
    sid       = "LoadBatchResults"
    actions   = ["aoss:APIAccessAll"]
    resources = [local.collection_arn]
  }

  # --- Customization, and provisioned throughput only when enabled ---
  statement {
    sid     = "CustomizeTheBaseModel"
    actions = ["bedrock:CreateModelCustomizationJob"]
    resources = [
      "arn:aws:bedrock:${module.environment.region}::foundation-model/${local.customization_base}",
      "${local.bedrock_arn_prefix}:custom-model/*",
      "${local.bedrock_arn_prefix}:model-customization-job/*",
    ]
  }
  statement {
    sid       = "FollowCustomizationJobs"
    actions   = ["bedrock:GetModelCustomizationJob"]
    resources = ["${local.bedrock_arn_prefix}:model-customization-job/*"]
  }
  # The clean-up task may always stop the billing, even after the switch is turned off.
  statement {
    sid       = "CleanUpProvisionedThroughput"
    actions   = ["bedrock:GetProvisionedModelThroughput", "bedrock:DeleteProvisionedModelThroughput"]
    resources = ["${local.bedrock_arn_prefix}:provisioned-model/*"]
  }
  dynamic "statement" {
    for_each = var.provisioned_throughput_enabled ? [1] : []
    content {
      sid       = "BuyProvisionedThroughput"
      actions   = ["bedrock:CreateProvisionedModelThroughput"]
      resources = ["${local.bedrock_arn_prefix}:custom-model/*", "${local.bedrock_arn_prefix}:provisioned-model/*"]
    }
  }
  statement {
    sid       = "PassTheCustomizationRole"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.bedrock["customization"].arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["bedrock.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "airflow" {
  count = var.mwaa_enabled ? 1 : 0

  name   = "airflow"
  role   = aws_iam_role.airflow[0].name
  policy = data.aws_iam_policy_document.airflow.json
}
