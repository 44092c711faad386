# The service roles Bedrock assumes to run the DAGs' jobs: batch inference reads batch-input/ and
# writes batch-output/, model customization reads customization/data/ and writes
# customization/output/, all in the work bucket. They exist with MWAA off too: the DAGs can run
# from a laptop against them.

locals {
  bedrock_service_roles = {
    batch = {
      name        = "${local.name}-bedrock-batch"
      description = "Bedrock batch inference jobs of ${local.name}: read batch-input/, write batch-output/ of the operations bucket"
      job_type    = "model-invocation-job"
      read        = "batch-input/"
      write       = "batch-output/"
    }
    customization = {
      name        = "${local.name}-bedrock-customization"
      description = "Bedrock model customization jobs of ${local.name}: read customization/data/, write customization/output/ of the operations bucket"
      job_type    = "model-customization-job"
      read        = "customization/data/"
      write       = "customization/output/"
    }
  }
}

# Bedrock may assume each role only for this account's jobs of its kind (confused deputy), as
# the Bedrock service-role documentation recommends.
data "aws_iam_policy_document" "bedrock_trust" {
  for_each = local.bedrock_service_roles

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
      values   = ["arn:aws:bedrock:${module.environment.region}:${local.account_id}:${each.value.job_type}/*"]
    }
  }
}

resource "aws_iam_role" "bedrock" {
  for_each = local.bedrock_service_roles

  name                 = each.value.name
  description          = each.value.description
  assume_role_policy   = data.aws_iam_policy_document.bedrock_trust[each.key].json
  permissions_boundary = nonsensitive(data.aws_ssm_parameter.platform["permissions-boundary-arn"].value)
  tags                 = local.tags
}

data "aws_iam_policy_document" "bedrock" {
  for_each = local.bedrock_service_roles

  statement {
    # Bedrock's documented service-role policy lists the bucket without a prefix condition: a
    # check of the bucket itself carries no prefix.
    sid       = "ListTheBucket"
    actions   = ["s3:ListBucket"]
    resources = [module.work_bucket.arn]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceAccount"
      values   = [local.account_id]
    }
  }
  statement {
    sid       = "ReadItsInput"
    actions   = ["s3:GetObject"]
    resources = ["${module.work_bucket.arn}/${each.value.read}*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceAccount"
      values   = [local.account_id]
    }
  }
  statement {
    sid       = "WriteItsOutput"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${module.work_bucket.arn}/${each.value.write}*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceAccount"
      values   = [local.account_id]
    }
  }
  statement {
    sid       = "UseTheBucketKeyThroughS3"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [module.key.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${module.environment.region}.amazonaws.com"]
    }
  }

  # A batch job invokes its model as the service role: through the inference profile when it
  # is one (and the model behind it only through that profile), else the foundation model.
  dynamic "statement" {
    for_each = each.key == "batch" ? [1] : []
    content {
      sid       = "InvokeTheBatchModel"
      actions   = ["bedrock:InvokeModel"]
      resources = [local.model_arns.batch]
    }
  }
  dynamic "statement" {
    for_each = each.key == "batch" && contains(keys(local.profile_models), "batch") ? [1] : []
    content {
      sid       = "InvokeTheModelBehindTheProfile"
      actions   = ["bedrock:InvokeModel"]
      resources = ["arn:aws:bedrock:*::foundation-model/${local.models.batch.foundation_model_id}"]
      condition {
        test     = "StringEquals"
        variable = "bedrock:InferenceProfileArn"
        values   = [local.model_arns.batch]
      }
    }
  }
}

resource "aws_iam_role_policy" "bedrock" {
  for_each = local.bedrock_service_roles

  name   = each.key
  role   = aws_iam_role.bedrock[each.key].name
  policy = data.aws_iam_policy_document.bedrock[each.key].json
}
