# The vector index is created from inside the VPC by a small Lambda (apps/vector_index) that
# Terraform invokes with the declared index. Whoever runs Terraform then needs neither a network
# path to the private collection nor a place in its data access policy, and a plan by another
# role reads nothing from the collection.

locals {
  index_manager_name = "${var.name}-kb-index"

  index_body = {
    settings = {
      index = {
        knn                        = true
        "knn.algo_param.ef_search" = 512
      }
    }
    mappings = {
      properties = {
        (local.fields.vector) = {
          type      = "knn_vector"
          dimension = var.embedding_dimensions
          method = {
            name       = "hnsw"
            engine     = "faiss"
            space_type = "l2"
            parameters = { m = 16, ef_construction = 512 }
          }
        }
        (local.fields.text)     = { type = "text", index = true }
        (local.fields.metadata) = { type = "text", index = false }
      }
    }
  }
}

module "indexes" {
  source = "../opensearch-index-manager"

  name                           = local.index_manager_name
  description                    = "Creates the vector index of ${local.collection_name} (invoked by Terraform)"
  collection_arn                 = aws_opensearchserverless_collection.this.arn
  collection_endpoint            = aws_opensearchserverless_collection.this.collection_endpoint
  vpc_id                         = var.vpc_endpoint.vpc_id
  subnet_ids                     = var.vpc_endpoint.subnet_ids
  vpc_endpoint_security_group_id = aws_security_group.vpc_endpoint.id
  package_path                   = var.index_manager_package
  kms_key_arn                    = module.key.arn
  log_retention_days             = var.log_retention_days
  indexes                        = { (var.index_name) = local.index_body }
  ready_after = [
    aws_opensearchserverless_access_policy.data.id,
    aws_opensearchserverless_security_policy.network.id,
    aws_opensearchserverless_vpc_endpoint.this.id,
    aws_vpc_security_group_ingress_rule.vpc_endpoint_from_index_manager.id,
  ]
  tags = var.tags
}

# Where the index manager lived before it became modules/opensearch-index-manager: state moves,
# nothing is replaced (an index_name other than the default re-invokes the function once, which
# leaves a matching index alone).
moved {
  from = aws_security_group.index_manager
  to   = module.indexes.aws_security_group.this
}

moved {
  from = aws_vpc_security_group_egress_rule.index_manager_to_collection
  to   = module.indexes.aws_vpc_security_group_egress_rule.to_collection
}

moved {
  from = module.index_manager
  to   = module.indexes.module.function
}

moved {
  from = aws_lambda_invocation.index
  to   = module.indexes.aws_lambda_invocation.index["bedrock-knowledge-base-index"]
}
