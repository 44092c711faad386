# OpenSearch Serverless vector collection. Bedrock reaches it as a service; terraform reaches it
# to create the index, from the VPC endpoint (runners inside the VPC) or, if allowed, publicly.

locals {
  collection_name = "${var.name}-kb"

  network_access = var.allow_public_access ? {
    AllowFromPublic = true
    } : {
    AllowFromPublic = false
    SourceVPCEs     = concat(aws_opensearchserverless_vpc_endpoint.this[*].id, var.source_vpc_endpoint_ids)
    SourceServices  = ["bedrock.amazonaws.com"]
  }
}

resource "aws_opensearchserverless_security_policy" "encryption" {
  name = "${local.collection_name}-enc"
  type = "encryption"
  policy = jsonencode({
    Rules = [{
      ResourceType = "collection"
      Resource     = ["collection/${local.collection_name}"]
    }]
    AWSOwnedKey = false
    KmsARN      = module.key.arn
  })
}

resource "aws_opensearchserverless_security_policy" "network" {
  name = "${local.collection_name}-net"
  type = "network"
  policy = jsonencode([merge(
    {
      Rules = [{
        ResourceType = "collection"
        Resource     = ["collection/${local.collection_name}"]
      }]
    },
    local.network_access,
  )])
}

resource "aws_security_group" "vpc_endpoint" {
  count = var.vpc_endpoint == null ? 0 : 1

  name_prefix = "${local.collection_name}-aoss-"
  description = "HTTPS from the VPC to the ${local.collection_name} OpenSearch Serverless endpoint"
  vpc_id      = var.vpc_endpoint.vpc_id
  tags        = var.tags

  ingress {
    description = "HTTPS from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = var.vpc_endpoint.allowed_cidrs
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_opensearchserverless_vpc_endpoint" "this" {
  count = var.vpc_endpoint == null ? 0 : 1

  name               = "${local.collection_name}-vpce"
  vpc_id             = var.vpc_endpoint.vpc_id
  subnet_ids         = var.vpc_endpoint.subnet_ids
  security_group_ids = aws_security_group.vpc_endpoint[*].id
}

# Bedrock reads and writes documents; the deployer creates and, on destroy, deletes the index;
# readers (the CI plan role) may only describe it, which a refresh needs.
locals {
  collection_resource = ["collection/${local.collection_name}"]
  index_resource      = ["index/${local.collection_name}/*"]
  data_access = concat(
    [
      {
        Description = "Bedrock knowledge base service role"
        Principal   = [module.role.arn]
        Rules = [
          { ResourceType = "collection", Resource = local.collection_resource, Permission = ["aoss:DescribeCollectionItems"] },
          { ResourceType = "index", Resource = local.index_resource, Permission = ["aoss:DescribeIndex", "aoss:ReadDocument", "aoss:WriteDocument", "aoss:UpdateIndex"] },
        ]
      },
      {
        Description = "Index administrators: the role running terraform and any listed"
        Principal   = distinct(concat([data.aws_iam_session_context.deployer.issuer_arn], var.index_admin_arns))
        Rules = [
          { ResourceType = "collection", Resource = local.collection_resource, Permission = ["aoss:DescribeCollectionItems", "aoss:CreateCollectionItems", "aoss:UpdateCollectionItems"] },
          { ResourceType = "index", Resource = local.index_resource, Permission = ["aoss:CreateIndex", "aoss:DescribeIndex", "aoss:UpdateIndex", "aoss:DeleteIndex"] },
        ]
      },
    ],
    length(var.index_reader_arns) == 0 ? [] : [
      {
        Description = "Index readers: plans refresh the index"
        Principal   = var.index_reader_arns
        Rules = [
          { ResourceType = "collection", Resource = local.collection_resource, Permission = ["aoss:DescribeCollectionItems"] },
          { ResourceType = "index", Resource = local.index_resource, Permission = ["aoss:DescribeIndex"] },
        ]
      },
    ],
  )
}

resource "aws_opensearchserverless_access_policy" "data" {
  name   = "${local.collection_name}-data"
  type   = "data"
  policy = jsonencode(local.data_access)
}

resource "aws_opensearchserverless_collection" "this" {
  name             = local.collection_name
  type             = "VECTORSEARCH"
  standby_replicas = var.standby_replicas ? "ENABLED" : "DISABLED"
  tags             = var.tags

  depends_on = [
    aws_opensearchserverless_security_policy.encryption,
    aws_opensearchserverless_security_policy.network,
  ]
}

# Data-access and network policies take effect about a minute after they are written; an index
# created earlier gets a 403 and the first apply fails (the well-known race of public modules).
resource "time_sleep" "policies_propagated" {
  create_duration = var.policy_propagation_wait

  triggers = {
    collection_arn = aws_opensearchserverless_collection.this.arn
    data_policy    = aws_opensearchserverless_access_policy.data.policy_version
    network_policy = aws_opensearchserverless_security_policy.network.policy_version
  }
}

locals {
  index_mappings = jsonencode({
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
  })
}

# Ingestion adds metadata fields to the live mapping, so the provider's mapping diff would
# replace the index (and drop every vector) on the next apply. Changes to the mapping we declare
# still replace it, through this record.
resource "terraform_data" "index_mappings" {
  input = local.index_mappings
}

resource "opensearch_index" "this" {
  name                           = var.index_name
  index_knn                      = true
  index_knn_algo_param_ef_search = "512"
  number_of_shards               = "2"
  number_of_replicas             = "0"
  mappings                       = local.index_mappings
  force_destroy                  = true

  depends_on = [time_sleep.policies_propagated]

  lifecycle {
    ignore_changes       = [mappings, number_of_shards, number_of_replicas]
    replace_triggered_by = [terraform_data.index_mappings]
  }
}
