data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id    = data.aws_caller_identity.current.account_id
  partition     = data.aws_partition.current.partition
  region        = data.aws_region.current.region
  function_name = "${var.name}-case-sheets"
  sheets_prefix = "case-sheets/"
  # Bedrock names an agent's data with the agent's ARN in the KMS encryption context.
  agent_arn_pattern = "arn:${local.partition}:bedrock:${local.region}:${local.account_id}:agent/*"
}

# One key for the case data: agent, table, sheets, the function's logs and environment.
module "key" {
  source = "../kms-key"

  alias            = "${var.name}-case-sheets"
  description      = "Encrypts the ${var.name} case sheets: agent, table, workbooks, logs"
  log_group_names  = ["/aws/lambda/${local.function_name}"]
  policy_documents = [data.aws_iam_policy_document.bedrock_key.json]
  tags             = var.tags
}

# Bedrock uses the key as a service for the account's agents, as "Encryption of agent resources
# with customer managed keys" documents it: the encryption context names the agent. Its id is
# not known before the key exists, so the condition matches this account's agents in the Region.
data "aws_iam_policy_document" "bedrock_key" {
  # checkov:skip=CKV_AWS_109:A key policy's resource is always the key itself ("*").
  # checkov:skip=CKV_AWS_111:A key policy's resource is always the key itself ("*").
  # checkov:skip=CKV_AWS_356:A key policy's resource is always the key itself ("*").
  statement {
    sid       = "BedrockEncryptsTheAccountsAgents"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["bedrock.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:aws:bedrock:arn"
      values   = [local.agent_arn_pattern]
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
  hash_key                    = var.case_table.hash_key.name
  range_key                   = try(var.case_table.range_key.name, null)
  deletion_protection_enabled = var.deletion_protection
  tags                        = var.tags

  dynamic "attribute" {
    for_each = [for key in [var.case_table.hash_key, var.case_table.range_key] : key if key != null]
    content {
      name = attribute.value.name
      type = attribute.value.type
    }
  }

  dynamic "ttl" {
    for_each = var.case_table.ttl == null ? [] : [var.case_table.ttl]
    content {
      attribute_name = ttl.value
      enabled        = true
    }
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = module.key.arn
  }
}
