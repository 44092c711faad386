# The shopping assistant's API (apps/shop_rag): retrieves products from Qdrant, converses with
# the catalog's models, keeps each session's history in DynamoDB so that every replica sees it,
# and loads the catalog from the model-assets bucket's catalog/ prefix.

locals {
  # The role's policy names the table and its key by name, not by the created resources: the
  # module attaches a policy only when it has one, which it must know at plan time.
  shop_history_table     = "${local.name}-shop-chat-history"
  shop_history_key_alias = "${local.name}-shop-history"
  catalog_prefix         = "catalog/"
  # Titan Text Embeddings v2, called on demand (no inference profile): the app's default model.
  embeddings_model_id = "amazon.titan-embed-text-v2:0"
}

module "shop_history_key" {
  source = "../../modules/kms-key"

  alias       = local.shop_history_key_alias
  description = "Encrypts the ${local.name} shopping assistant's chat history"
  tags        = local.tags
}

# One item per turn: sessionId + turn, expired by DynamoDB once expiresAt (epoch seconds) passes.
resource "aws_dynamodb_table" "shop_history" {
  name                        = local.shop_history_table
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "sessionId"
  range_key                   = "turn"
  deletion_protection_enabled = var.shop_history_deletion_protection

  attribute {
    name = "sessionId"
    type = "S"
  }

  attribute {
    name = "turn"
    type = "N"
  }

  ttl {
    attribute_name = "expiresAt"
    enabled        = true
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
  source_policy_documents = [data.aws_iam_policy_document.converse.json]

  statement {
    sid       = "EmbedWithTitan"
    actions   = ["bedrock:InvokeModel"]
    resources = ["arn:aws:bedrock:${var.region}::foundation-model/${local.embeddings_model_id}"]
  }
  # What apps/shop_rag/history.py calls: a Query for the latest turns, a conditional PutItem per turn.
  statement {
    sid       = "ReadAndWriteSessionHistory"
    actions   = ["dynamodb:PutItem", "dynamodb:Query"]
    resources = ["arn:aws:dynamodb:${var.region}:${data.aws_caller_identity.current.account_id}:table/${local.shop_history_table}"]
  }
  # The key by its alias: any key of the account and Region that carries it, used by DynamoDB.
  statement {
    sid       = "UseTheHistoryKeyThroughDynamoDB"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = ["arn:aws:kms:${var.region}:${data.aws_caller_identity.current.account_id}:key/*"]
    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "kms:ResourceAliases"
      values   = ["alias/${local.shop_history_key_alias}"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["dynamodb.${var.region}.amazonaws.com"]
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
      values   = ["s3.${var.region}.amazonaws.com"]
    }
  }
}

module "shop_rag" {
  source = "../../modules/k8s-app"

  name                 = "shop-rag"
  namespace            = kubernetes_namespace_v1.genai.metadata[0].name
  cluster_name         = data.aws_eks_cluster.this.name
  iam_role_name_prefix = local.name
  image                = "${data.aws_ssm_parameter.ecr["shop-rag"].value}:${var.image_tag}"
  port                 = 8000
  health_path          = "/healthz"
  replicas             = var.shop_rag_replicas
  exposure             = var.shop_rag_exposure
  allowed_cidrs        = var.shop_rag_allowed_cidrs
  iam_policy_json      = data.aws_iam_policy_document.shop_rag.json

  env = merge(local.guardrail_env, {
    AWS_REGION          = var.region
    SHOP_RAG_PORT       = "8000"
    CHAT_PROVIDER       = "bedrock"
    CHAT_MODELS         = jsonencode([for m in var.chat_models : { label = m.label, model_id = m.model_id }])
    EMBEDDINGS_PROVIDER = "bedrock"
    EMBEDDINGS_MODEL_ID = local.embeddings_model_id
    QDRANT_URL          = local.qdrant_url
    SHOP_COLLECTION     = var.shop_collection
    HISTORY_TABLE       = aws_dynamodb_table.shop_history.name
    HISTORY_TTL_HOURS   = tostring(var.shop_history_ttl_hours)
    CATALOG_BUCKET      = local.model_assets_bucket
    CATALOG_PREFIX      = local.catalog_prefix
  })
  secret_env = {
    QDRANT_API_KEY = { secret = kubernetes_secret_v1.shop_rag_qdrant.metadata[0].name, key = "api-key" }
  }

  tags = local.tags
}
