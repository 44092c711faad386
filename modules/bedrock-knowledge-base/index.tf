# The vector index, as the knowledge base expects it: the collection module's index manager
# (a Lambda in the VPC, invoked by Terraform) creates it.

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

# Where the index manager lived before it became modules/opensearch-index-manager (inside
# modules/opensearch-collection): state moves, nothing is replaced (an index_name other than the
# default re-invokes the function once, which leaves a matching index alone).
moved {
  from = aws_security_group.index_manager
  to   = module.collection.module.indexes.aws_security_group.this
}

moved {
  from = aws_vpc_security_group_egress_rule.index_manager_to_collection
  to   = module.collection.module.indexes.aws_vpc_security_group_egress_rule.to_collection
}

moved {
  from = module.index_manager
  to   = module.collection.module.indexes.module.function
}

moved {
  from = aws_lambda_invocation.index
  to   = module.collection.module.indexes.aws_lambda_invocation.index["bedrock-knowledge-base-index"]
}
