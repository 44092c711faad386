data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

# The role (not the assumed-role session) that runs terraform: it creates the vector index.
data "aws_iam_session_context" "deployer" {
  arn = data.aws_caller_identity.current.arn
}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  embedding_model_arn = "arn:${local.partition}:bedrock:${local.region}::foundation-model/${var.embedding_model_id}"

  fields = {
    vector   = "embedding"
    text     = "AMAZON_BEDROCK_TEXT_CHUNK"
    metadata = "AMAZON_BEDROCK_METADATA"
  }
}

# One key for the capability: documents, the collection and the ingestion's transient data.
resource "aws_kms_key" "this" {
  description             = "Encrypts the ${var.name} knowledge base: documents, vector collection, ingestion data"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms.json
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}-kb"
  target_key_id = aws_kms_key.this.key_id
}

# The account administers and uses the key through IAM; OpenSearch Serverless and Bedrock use it
# through grants created on behalf of principals that IAM already allows.
data "aws_iam_policy_document" "kms" {
  # checkov:skip=CKV_AWS_109:A key policy's resource is always the key itself ("*").
  # checkov:skip=CKV_AWS_111:A key policy's resource is always the key itself ("*").
  # checkov:skip=CKV_AWS_356:A key policy's resource is always the key itself ("*").
  statement {
    sid       = "AccountAdministersKeyThroughIam"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }
}

module "documents" {
  source = "../private-bucket"

  name          = "${var.name}-kb-documents-${local.account_id}"
  kms_key_arn   = aws_kms_key.this.arn
  force_destroy = var.force_destroy
  tags          = var.tags
}
