# OpenSearch Serverless vector collection (modules/opensearch-collection). Bedrock reaches it as
# a service; the index manager reaches it from the VPC through the collection's VPC endpoint, and
# so do the listed CIDRs. Nobody else does.

locals {
  collection_name = "${var.name}-kb"
}

module "collection" {
  source = "../opensearch-collection"

  permissions_boundary = var.permissions_boundary

  name                    = local.collection_name
  description             = var.description
  type                    = "VECTORSEARCH"
  standby_replicas        = var.standby_replicas
  kms_key_arn             = module.key.arn
  vpc_endpoint            = { vpc_id = var.vpc_endpoint.vpc_id, subnet_ids = var.vpc_endpoint.subnet_ids }
  allowed_cidrs           = var.vpc_endpoint.allowed_cidrs
  allow_public_access     = var.allow_public_access
  source_services         = ["bedrock.amazonaws.com"]
  source_vpc_endpoint_ids = var.source_vpc_endpoint_ids
  # Bedrock reads and writes documents; the module adds the index manager's grant.
  access = [{
    description            = "Bedrock knowledge base service role"
    principals             = [module.role.arn]
    collection_permissions = ["aoss:DescribeCollectionItems"]
    index_permissions      = ["aoss:DescribeIndex", "aoss:ReadDocument", "aoss:WriteDocument", "aoss:UpdateIndex"]
  }]
  index_manager_package = var.index_manager_package
  indexes               = { (var.index_name) = local.index_body }
  log_retention_days    = var.log_retention_days
  tags                  = var.tags
}

# Where the collection lived before it became modules/opensearch-collection: state moves,
# nothing is replaced.
moved {
  from = aws_opensearchserverless_security_policy.encryption
  to   = module.collection.aws_opensearchserverless_security_policy.encryption
}

moved {
  from = aws_opensearchserverless_security_policy.network
  to   = module.collection.aws_opensearchserverless_security_policy.network
}

moved {
  from = aws_security_group.vpc_endpoint
  to   = module.collection.aws_security_group.vpc_endpoint
}

moved {
  from = aws_vpc_security_group_ingress_rule.vpc_endpoint_from_index_manager
  to   = module.collection.aws_vpc_security_group_ingress_rule.from_index_manager
}

moved {
  from = aws_vpc_security_group_ingress_rule.vpc_endpoint_from_cidrs
  to   = module.collection.aws_vpc_security_group_ingress_rule.from_cidrs
}

moved {
  from = aws_opensearchserverless_vpc_endpoint.this
  to   = module.collection.aws_opensearchserverless_vpc_endpoint.this
}

moved {
  from = aws_opensearchserverless_access_policy.data
  to   = module.collection.aws_opensearchserverless_access_policy.data
}

moved {
  from = aws_opensearchserverless_collection.this
  to   = module.collection.aws_opensearchserverless_collection.this
}
