# A private OpenSearch Serverless collection: encrypted with the caller's key, reached through
# its own VPC endpoint (and, if asked, by AWS services or other endpoints), its data access
# policy naming exactly the given roles, and its indexes created from inside the VPC by the
# index manager (modules/opensearch-index-manager).

locals {
  collection_resource = ["collection/${var.name}"]

  # Public access stays IAM-signed and limited by the data access policy.
  network_access = merge(
    { AllowFromPublic = var.allow_public_access },
    var.allow_public_access ? {} : merge(
      { SourceVPCEs = concat([aws_opensearchserverless_vpc_endpoint.this.id], var.source_vpc_endpoint_ids) },
      length(var.source_services) > 0 ? { SourceServices = var.source_services } : {},
    ),
  )

  # The callers' grants, then the index manager's: both are roles, so the policy is the same
  # whoever runs Terraform.
  data_access = concat(
    [for grant in var.access : {
      Description = grant.description
      Principal   = grant.principals
      Rules = concat(
        length(grant.collection_permissions) > 0 ? [
          { ResourceType = "collection", Resource = local.collection_resource, Permission = grant.collection_permissions },
        ] : [],
        [{ ResourceType = "index", Resource = [for index in grant.indexes : "index/${var.name}/${index}"], Permission = grant.index_permissions }],
      )
    }],
    [{
      Description = "The index manager creates, checks and replaces the indexes"
      Principal   = [module.indexes.role_arn]
      Rules = [
        { ResourceType = "collection", Resource = local.collection_resource, Permission = ["aoss:DescribeCollectionItems"] },
        { ResourceType = "index", Resource = ["index/${var.name}/*"], Permission = ["aoss:CreateIndex", "aoss:DescribeIndex", "aoss:UpdateIndex", "aoss:DeleteIndex"] },
      ]
    }],
  )
}

resource "aws_opensearchserverless_security_policy" "encryption" {
  name = "${var.name}-enc"
  type = "encryption"
  policy = jsonencode({
    Rules       = [{ ResourceType = "collection", Resource = local.collection_resource }]
    AWSOwnedKey = false
    KmsARN      = var.kms_key_arn
  })
}

resource "aws_opensearchserverless_security_policy" "network" {
  name   = "${var.name}-net"
  type   = "network"
  policy = jsonencode([merge({ Rules = [{ ResourceType = "collection", Resource = local.collection_resource }] }, local.network_access)])
}

resource "aws_security_group" "vpc_endpoint" {
  name_prefix = "${var.name}-aoss-"
  description = "HTTPS to the ${var.name} OpenSearch Serverless endpoint"
  vpc_id      = var.vpc_endpoint.vpc_id
  tags        = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "from_index_manager" {
  security_group_id            = aws_security_group.vpc_endpoint.id
  description                  = "HTTPS from the index manager Lambda"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = module.indexes.security_group_id
  tags                         = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "from_security_groups" {
  for_each = var.allowed_security_groups

  security_group_id            = aws_security_group.vpc_endpoint.id
  description                  = "HTTPS from ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = each.value
  tags                         = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "from_cidrs" {
  for_each = toset(var.allowed_cidrs)

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
  name               = "${var.name}-vpce"
  vpc_id             = var.vpc_endpoint.vpc_id
  subnet_ids         = var.vpc_endpoint.subnet_ids
  security_group_ids = [aws_security_group.vpc_endpoint.id]
}

resource "aws_opensearchserverless_access_policy" "data" {
  name   = "${var.name}-data"
  type   = "data"
  policy = jsonencode(local.data_access)
}

resource "aws_opensearchserverless_collection" "this" {
  name             = var.name
  description      = var.description
  type             = var.type
  standby_replicas = var.standby_replicas ? "ENABLED" : "DISABLED"
  tags             = var.tags

  depends_on = [
    aws_opensearchserverless_security_policy.encryption,
    aws_opensearchserverless_security_policy.network,
  ]
}

module "indexes" {
  source = "../opensearch-index-manager"

  permissions_boundary = var.permissions_boundary

  name                           = "${var.name}-index"
  description                    = "Creates the indexes of ${var.name} (invoked by Terraform)"
  collection_arn                 = aws_opensearchserverless_collection.this.arn
  collection_endpoint            = aws_opensearchserverless_collection.this.collection_endpoint
  vpc_id                         = var.vpc_endpoint.vpc_id
  subnet_ids                     = var.vpc_endpoint.subnet_ids
  vpc_endpoint_security_group_id = aws_security_group.vpc_endpoint.id
  package_path                   = var.index_manager_package
  kms_key_arn                    = var.kms_key_arn
  log_retention_days             = var.log_retention_days
  indexes                        = var.indexes
  ready_after = [
    aws_opensearchserverless_access_policy.data.id,
    aws_opensearchserverless_security_policy.network.id,
    aws_opensearchserverless_vpc_endpoint.this.id,
    aws_vpc_security_group_ingress_rule.from_index_manager.id,
  ]
  tags = var.tags
}
