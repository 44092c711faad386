# OpenSearch Serverless vector collection. Bedrock reaches it as a service; the index manager
# (index.tf) reaches it from the VPC through the collection's VPC endpoint. Nobody else does.

locals {
  collection_name = "${var.name}-kb"

  # Public access stays IAM-signed and limited by the data access policy below.
  network_access = merge(
    { AllowFromPublic = var.allow_public_access },
    var.allow_public_access ? {} : {
      SourceVPCEs    = concat([aws_opensearchserverless_vpc_endpoint.this.id], var.source_vpc_endpoint_ids)
      SourceServices = ["bedrock.amazonaws.com"]
    },
  )
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
  name_prefix = "${local.collection_name}-aoss-"
  description = "HTTPS to the ${local.collection_name} OpenSearch Serverless endpoint"
  vpc_id      = var.vpc_endpoint.vpc_id
  tags        = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "vpc_endpoint_from_index_manager" {
  security_group_id            = aws_security_group.vpc_endpoint.id
  description                  = "HTTPS from the index manager Lambda"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = module.indexes.security_group_id
  tags                         = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "vpc_endpoint_from_cidrs" {
  for_each = toset(var.vpc_endpoint.allowed_cidrs)

  security_group_id = aws_security_group.vpc_endpoint.id
  description       = "HTTPS from ${each.value}"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value
  tags              = var.tags
}

# Creating it also creates a private Route 53 hosted zone in the VPC, with the caller's
# credentials (modules/github-oidc grants the CI apply role those Route 53 actions).
resource "aws_opensearchserverless_vpc_endpoint" "this" {
  name               = "${local.collection_name}-vpce"
  vpc_id             = var.vpc_endpoint.vpc_id
  subnet_ids         = var.vpc_endpoint.subnet_ids
  security_group_ids = [aws_security_group.vpc_endpoint.id]
}

# Bedrock reads and writes documents; the index manager creates, checks and replaces the index.
# Both principals are roles of this module, so the policy is the same whoever runs Terraform.
locals {
  collection_resource = ["collection/${local.collection_name}"]
  index_resource      = ["index/${local.collection_name}/*"]
  data_access = [
    {
      Description = "Bedrock knowledge base service role"
      Principal   = [module.role.arn]
      Rules = [
        { ResourceType = "collection", Resource = local.collection_resource, Permission = ["aoss:DescribeCollectionItems"] },
        { ResourceType = "index", Resource = local.index_resource, Permission = ["aoss:DescribeIndex", "aoss:ReadDocument", "aoss:WriteDocument", "aoss:UpdateIndex"] },
      ]
    },
    {
      Description = "Index manager Lambda"
      Principal   = [module.indexes.role_arn]
      Rules = [
        { ResourceType = "collection", Resource = local.collection_resource, Permission = ["aoss:DescribeCollectionItems"] },
        { ResourceType = "index", Resource = local.index_resource, Permission = ["aoss:CreateIndex", "aoss:DescribeIndex", "aoss:UpdateIndex", "aoss:DeleteIndex"] },
      ]
    },
  ]
}

resource "aws_opensearchserverless_access_policy" "data" {
  name   = "${local.collection_name}-data"
  type   = "data"
  policy = jsonencode(local.data_access)
}

resource "aws_opensearchserverless_collection" "this" {
  name             = local.collection_name
  description      = var.description
  type             = "VECTORSEARCH"
  standby_replicas = var.standby_replicas ? "ENABLED" : "DISABLED"
  tags             = var.tags

  depends_on = [
    aws_opensearchserverless_security_policy.encryption,
    aws_opensearchserverless_security_policy.network,
  ]
}
