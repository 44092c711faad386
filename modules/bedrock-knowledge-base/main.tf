data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

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

# One key for the capability: documents, the collection, the ingestion's transient data, logs.
module "key" {
  source = "../kms-key"

  alias           = "${var.name}-kb"
  description     = "Encrypts the ${var.name} knowledge base: documents, vector collection, ingestion data, index manager logs"
  log_group_names = ["/aws/lambda/${local.index_manager_name}"]
  tags            = var.tags
}

module "documents" {
  source = "../private-bucket"

  name          = "${var.name}-kb-documents-${local.account_id}"
  kms_key_arn   = module.key.arn
  force_destroy = var.force_destroy
  tags          = var.tags
}
