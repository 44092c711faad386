# The shopping assistant's API (apps/shop_rag): retrieves products from Qdrant, converses with
# the catalog's models, keeps each session's history in DynamoDB so that every replica sees it,
# and loads the catalog from the model-assets bucket's catalog/ prefix.

locals {
  # The role's policy names the table and its key by name, not by the created resources: the
  # module attaches a policy only when it has one, which it must know at plan time.
  # The table's logical name and key schema are shop_rag's declaration (apps/shop_rag/app.yaml),
  # which local mode creates its local table from.
  shop_history_logical   = "shop-chat-history"
  shop_history           = local.declared_apps["shop-rag"].data.tables[local.shop_history_logical]
  shop_history_table     = "${local.name}-${local.shop_history_logical}"
  shop_history_key_alias = "${local.name}-shop-history"
  catalog_prefix         = "catalog/"
  # The environment's embedding model (environments/models.yaml), called on demand: the model
  # itself, no inference profile.
  embeddings_model_id   = module.environment.models.embedding.model_id
  embeddings_dimensions = module.environment.models.embedding.dimensions
}

module "shop_history_key" {
  source = "../../modules/kms-key"

  alias       = local.shop_history_key_alias
  description = "Encrypts the ${local.name} shopping assistant's chat history"
  tags        = local.tags
}

# One item per turn of a session, expired by DynamoDB once its TTL attribute (epoch seconds) passes.
resource "aws_dynamodb_table" "shop_history" {
  name                        = local.shop_history_table
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = local.shop_history.hash_key.name
  range_key                   = try(local.shop_history.range_key.name, null)
  deletion_protection_enabled = local.shop_history_deletion_protection

  dynamic "attribute" {
    for_each = [for key in [local.shop_history.hash_key, try(local.shop_history.range_key, null)] : key if key != null]
    content {
      name = attribute.value.name
      type = attribute.value.type
    }
  }

  dynamic "ttl" {
    for_each = try(local.shop_history.ttl, null) == null ? [] : [local.shop_history.ttl]
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
    kms_key_arn = module.shop_history_key.arn
  }
}

data "aws_iam_policy_document" "shop_rag" {
  source_policy_documents = [data.aws_iam_policy_document.converse["shop-rag"].json]

  statement {
    sid       = "EmbedWithTitan"
    actions   = ["bedrock:InvokeModel"]
    resources = ["arn:aws:bedrock:${local.region}::foundation-model/${local.embeddings_model_id}"]
  }
  # What apps/shop_rag/history.py calls: a Query for the latest turns, a conditional PutItem per turn.
  statement {
    sid       = "ReadAndWriteSessionHistory"
    actions   = ["dynamodb:PutItem", "dynamodb:Query"]
    resources = ["arn:aws:dynamodb:${local.region}:${data.aws_caller_identity.current.account_id}:table/${local.shop_history_table}"]
  }
  # The key by its alias: any key of the account and Region that carries it, used by DynamoDB.
  statement {
    sid       = "UseTheHistoryKeyThroughDynamoDB"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = ["arn:aws:kms:${local.region}:${data.aws_caller_identity.current.account_id}:key/*"]
    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "kms:ResourceAliases"
      values   = ["alias/${local.shop_history_key_alias}"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["dynamodb.${local.region}.amazonaws.com"]
    }
  }
  statement {
    sid       = "ReadTheCatalog"
    actions   = ["s3:GetObject"]
    resources = ["${local.model_assets_bucket_arn}/${local.catalog_prefix}*"]
  }
  statement {
    sid       = "DecryptTheCatalogThroughS3"
    actions   = ["kms:Decrypt"]
    resources = [local.model_assets_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }
}
