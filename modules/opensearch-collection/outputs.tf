output "arn" {
  description = "ARN of the collection."
  value       = aws_opensearchserverless_collection.this.arn
}

output "endpoint" {
  description = "HTTPS endpoint of the collection."
  value       = aws_opensearchserverless_collection.this.collection_endpoint
}

output "name" {
  description = "Name of the collection."
  value       = aws_opensearchserverless_collection.this.name
}

output "type" {
  description = "Type of the collection."
  value       = aws_opensearchserverless_collection.this.type
}

output "vpc_endpoint_id" {
  description = "The collection's VPC endpoint."
  value       = aws_opensearchserverless_vpc_endpoint.this.id
}

output "vpc_endpoint_security_group_id" {
  description = "Security group of the VPC endpoint."
  value       = aws_security_group.vpc_endpoint.id
}

output "index_manager_role_arn" {
  description = "Role of the index manager Lambda (named in the data access policy)."
  value       = module.indexes.role_arn
}

output "index_manager_security_group_id" {
  description = "Security group of the index manager Lambda."
  value       = module.indexes.security_group_id
}

output "index_results" {
  description = "What each index creation returned (index name => JSON): depend on it to use an index."
  value       = module.indexes.results
}

output "index_inputs" {
  description = "What each index creation sent (index name => JSON with endpoint, index and body)."
  value       = module.indexes.inputs
}

output "data_access_policy" {
  description = "The data access policy (JSON)."
  value       = aws_opensearchserverless_access_policy.data.policy
}

output "network_policy" {
  description = "The network policy (JSON)."
  value       = aws_opensearchserverless_security_policy.network.policy
}

output "encryption_policy" {
  description = "The encryption policy (JSON)."
  value       = aws_opensearchserverless_security_policy.encryption.policy
}
