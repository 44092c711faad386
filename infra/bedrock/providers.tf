provider "aws" {
  region = var.region
  default_tags {
    tags = local.tags
  }
}

# Creates the vector index inside the collection this stack creates. Requests are SigV4-signed
# for OpenSearch Serverless with the same credentials as the aws provider; the endpoint is
# reached from the VPC (CI runners there) unless the collection allows public access.
provider "opensearch" {
  url                   = module.knowledge_base.collection_endpoint
  aws_region            = var.region
  aws_signature_service = "aoss"
  sign_aws_requests     = true
  healthcheck           = false
  sniff                 = false
}
