output "knowledge_base_id" {
  description = "Id of the knowledge base (Retrieve, RetrieveAndGenerate, agent associations)."
  value       = aws_bedrockagent_knowledge_base.this.id
}

output "knowledge_base_arn" {
  description = "ARN of the knowledge base, for IAM policies of its callers."
  value       = aws_bedrockagent_knowledge_base.this.arn
}

output "data_source_id" {
  description = "Id of the S3 data source (ingestion jobs)."
  value       = aws_bedrockagent_data_source.documents.data_source_id
}

output "documents_bucket" {
  description = "Name of the bucket whose documents_prefix is ingested."
  value       = module.documents.name
}

output "documents_bucket_arn" {
  description = "ARN of the documents bucket, for IAM policies of the uploaders."
  value       = module.documents.arn
}

output "documents_prefix" {
  description = "Key prefix the data source ingests."
  value       = var.documents_prefix
}

output "kms_key_arn" {
  description = "KMS key of the documents, the collection and ingestion; uploaders need kms:GenerateDataKey on it."
  value       = module.key.arn
}

output "collection_arn" {
  description = "ARN of the OpenSearch Serverless collection."
  value       = module.collection.arn
}

output "collection_endpoint" {
  description = "HTTPS endpoint of the collection; configures the opensearch provider in the calling stack."
  value       = module.collection.endpoint
}

output "role_arn" {
  description = "ARN of the knowledge base's service role."
  value       = module.role.arn
}

output "data_access_policy" {
  description = "The collection's data access policy (JSON): the knowledge base role and the index manager, nobody else."
  value       = module.collection.data_access_policy
}

output "network_policy" {
  description = "The collection's network policy (JSON)."
  value       = module.collection.network_policy
}
