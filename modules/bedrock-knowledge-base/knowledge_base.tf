# The embedding model, the documents bucket, the collection and their key; nothing else.
data "aws_iam_policy_document" "knowledge_base" {
  statement {
    sid       = "EmbedWithTheConfiguredModel"
    actions   = ["bedrock:InvokeModel"]
    resources = [local.embedding_model_arn]
  }
  statement {
    sid       = "ListDocuments"
    actions   = ["s3:ListBucket"]
    resources = [module.documents.arn]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceAccount"
      values   = [local.account_id]
    }
  }
  statement {
    sid       = "ReadDocuments"
    actions   = ["s3:GetObject"]
    resources = ["${module.documents.arn}/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceAccount"
      values   = [local.account_id]
    }
  }
  statement {
    sid       = "UseTheVectorCollection"
    actions   = ["aoss:APIAccessAll"]
    resources = [module.collection.arn]
  }
  statement {
    sid       = "UseTheKnowledgeBaseKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [module.key.arn]
  }
}

module "role" {
  source = "../bedrock-service-role"

  permissions_boundary = var.permissions_boundary

  name          = "${var.name}-knowledge-base"
  description   = "Bedrock knowledge base ${var.name}: embeds the documents bucket into its collection"
  resource_type = "knowledge-base"
  policy_json   = data.aws_iam_policy_document.knowledge_base.json
  tags          = var.tags
}

# Bedrock checks the role and the index when the knowledge base is created. The index manager
# returns once the index is readable; the role's policy (IAM is eventually consistent) needs a
# moment more.
resource "time_sleep" "index_and_role_ready" {
  create_duration = var.role_propagation_wait

  triggers = {
    index  = module.collection.index_results[var.index_name]
    policy = module.role.policy_json
  }
}

resource "aws_bedrockagent_knowledge_base" "this" {
  name        = var.name
  description = var.description
  role_arn    = module.role.arn
  tags        = var.tags

  knowledge_base_configuration {
    type = "VECTOR"
    vector_knowledge_base_configuration {
      embedding_model_arn = local.embedding_model_arn
      embedding_model_configuration {
        bedrock_embedding_model_configuration {
          dimensions          = var.embedding_dimensions
          embedding_data_type = "FLOAT32"
        }
      }
    }
  }

  storage_configuration {
    type = "OPENSEARCH_SERVERLESS"
    opensearch_serverless_configuration {
      collection_arn    = module.collection.arn
      vector_index_name = var.index_name
      field_mapping {
        vector_field   = local.fields.vector
        text_field     = local.fields.text
        metadata_field = local.fields.metadata
      }
    }
  }

  depends_on = [time_sleep.index_and_role_ready]
}

resource "aws_bedrockagent_data_source" "documents" {
  knowledge_base_id = aws_bedrockagent_knowledge_base.this.id
  name              = "${var.name}-documents"
  description       = "Documents and their .metadata.json sidecars in s3://${module.documents.name}/${var.documents_prefix}"
  # RETAIN: deleting the data source leaves the vectors to the collection, which is destroyed
  # with it; DELETE would have Bedrock clean an index that may already be gone and wedge the destroy.
  data_deletion_policy = "RETAIN"

  data_source_configuration {
    type = "S3"
    s3_configuration {
      bucket_arn              = module.documents.arn
      bucket_owner_account_id = local.account_id
      inclusion_prefixes      = [var.documents_prefix]
    }
  }

  server_side_encryption_configuration {
    kms_key_arn = module.key.arn
  }

  vector_ingestion_configuration {
    chunking_configuration {
      chunking_strategy = var.chunking.strategy
      dynamic "fixed_size_chunking_configuration" {
        for_each = var.chunking.strategy == "FIXED_SIZE" ? [var.chunking] : []
        content {
          max_tokens         = fixed_size_chunking_configuration.value.max_tokens
          overlap_percentage = fixed_size_chunking_configuration.value.overlap_percentage
        }
      }
    }
  }
}
