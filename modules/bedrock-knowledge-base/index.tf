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

resource "aws_security_group" "index_manager" {
  # checkov:skip=CKV2_AWS_5:Attached to the index manager Lambda, through module.index_manager's vpc input.
  name_prefix = "${local.index_manager_name}-"
  description = "The ${local.index_manager_name} Lambda: HTTPS to the collection endpoint only"
  vpc_id      = var.vpc_endpoint.vpc_id
  tags        = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "index_manager_to_collection" {
  security_group_id            = aws_security_group.index_manager.id
  description                  = "HTTPS to the collection's VPC endpoint"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.vpc_endpoint.id
  tags                         = var.tags
}

data "aws_iam_policy_document" "index_manager" {
  statement {
    sid       = "ReachTheCollection"
    actions   = ["aoss:APIAccessAll"]
    resources = [aws_opensearchserverless_collection.this.arn]
  }
}

module "index_manager" {
  source = "../lambda-function"

  name         = local.index_manager_name
  description  = "Creates the vector index of ${local.collection_name} (invoked by Terraform)"
  handler      = "vector_index.handler.lambda_handler"
  package_path = var.index_manager_package
  policy_json  = data.aws_iam_policy_document.index_manager.json
  kms_key_arn  = module.key.arn
  # Policies of a new collection take a minute or two to apply; the function waits for them.
  timeout            = 300
  log_retention_days = var.log_retention_days
  tags               = var.tags

  vpc = {
    subnet_ids         = var.vpc_endpoint.subnet_ids
    security_group_ids = [aws_security_group.index_manager.id]
  }
}

# Invoked once, and again whenever the input changes (the provider replaces the invocation):
# a new mapping, or a new collection.
resource "aws_lambda_invocation" "index" {
  function_name = module.index_manager.function_name
  input = jsonencode({
    endpoint = aws_opensearchserverless_collection.this.collection_endpoint
    index    = var.index_name
    body     = local.index_body
  })

  depends_on = [
    aws_opensearchserverless_access_policy.data,
    aws_opensearchserverless_security_policy.network,
    aws_opensearchserverless_vpc_endpoint.this,
    aws_vpc_security_group_ingress_rule.vpc_endpoint_from_index_manager,
    aws_vpc_security_group_egress_rule.index_manager_to_collection,
  ]
}
