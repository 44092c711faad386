# The results: an OpenSearch Serverless collection of type SEARCH, not TIMESERIES, although the
# reviews are events: time-series collections refuse documents with an id of the caller's
# choosing, and the id (the review id) is what makes a replay overwrite instead of duplicating.
# Only the VPC endpoint reaches it; the data access policy names the four roles that use it.

locals {
  collection_name     = "${local.name}-reviews"
  collection_resource = ["collection/${local.collection_name}"]
  index_resource      = ["index/${local.collection_name}/*"]
  # The dashboard's Pod Identity role in the workloads stack (modules/k8s-app names it
  # <project>-<env>-<app>); a data access policy may name a role before it exists.
  dashboard_role_arn = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/${local.name}-review-dashboard"
  # The MWAA execution role of the operations stack (<project>-<env>-airflow): its batch DAG
  # writes Bedrock batch results beside the streaming ones.
  airflow_role_arn = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/${local.name}-airflow"
  batch_index      = "batch_reviews"

  # The seed's mapping, exactly: summary and sentiment are keywords, for exact filters and
  # aggregations on the dashboard.
  index_bodies = {
    (local.processed_index) = {
      mappings = {
        properties = {
          reviewId  = { type = "integer" }
          userId    = { type = "keyword" }
          summary   = { type = "keyword" }
          sentiment = { type = "keyword" }
          dateTime  = { type = "date" }
        }
      }
    }
    # processed_reviews' mapping, and where a result came from (the batch DAG writes "batch").
    (local.batch_index) = {
      mappings = {
        properties = {
          reviewId  = { type = "integer" }
          userId    = { type = "keyword" }
          summary   = { type = "keyword" }
          sentiment = { type = "keyword" }
          dateTime  = { type = "date" }
          source    = { type = "keyword" }
        }
      }
    }
    (local.dead_letter_index) = {
      mappings = {
        properties = {
          reviewId = { type = "integer" }
          reason   = { type = "keyword" }
          raw      = { type = "text" }
          failedAt = { type = "date" }
        }
      }
    }
  }
}

resource "aws_opensearchserverless_security_policy" "encryption" {
  name = "${local.collection_name}-enc"
  type = "encryption"
  policy = jsonencode({
    Rules       = [{ ResourceType = "collection", Resource = local.collection_resource }]
    AWSOwnedKey = false
    KmsARN      = module.key.arn
  })
}

resource "aws_opensearchserverless_security_policy" "network" {
  name = "${local.collection_name}-net"
  type = "network"
  policy = jsonencode([{
    Rules           = [{ ResourceType = "collection", Resource = local.collection_resource }]
    AllowFromPublic = false
    SourceVPCEs     = [aws_opensearchserverless_vpc_endpoint.this.id]
  }])
}

resource "aws_security_group" "vpc_endpoint" {
  name_prefix = "${local.collection_name}-aoss-"
  description = "HTTPS to the ${local.collection_name} OpenSearch Serverless endpoint"
  vpc_id      = local.vpc_id
  tags        = local.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "vpc_endpoint_from_app" {
  security_group_id            = aws_security_group.vpc_endpoint.id
  description                  = "HTTPS from the Flink application"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.app.id
  tags                         = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "vpc_endpoint_from_index_manager" {
  security_group_id            = aws_security_group.vpc_endpoint.id
  description                  = "HTTPS from the index manager Lambda"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = module.indexes.security_group_id
  tags                         = local.tags
}

# Pods take addresses of the VPC (VPC CNI): the dashboard reaches the endpoint from the VPC's
# range; the data access policy still admits only its role.
resource "aws_vpc_security_group_ingress_rule" "vpc_endpoint_from_vpc" {
  security_group_id = aws_security_group.vpc_endpoint.id
  description       = "HTTPS from pods in the VPC (the dashboard)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = local.vpc_cidr
  tags              = local.tags
}

# Creating it also creates a private Route 53 hosted zone in the VPC, with the caller's
# credentials (modules/github-oidc grants the CI apply role those Route 53 actions).
resource "aws_opensearchserverless_vpc_endpoint" "this" {
  name               = "${local.collection_name}-vpce"
  vpc_id             = local.vpc_id
  subnet_ids         = local.subnet_ids
  security_group_ids = [aws_security_group.vpc_endpoint.id]
}

resource "aws_opensearchserverless_access_policy" "data" {
  name = "${local.collection_name}-data"
  type = "data"
  policy = jsonencode([
    {
      Description = "The Flink application writes results and dead letters"
      Principal   = [aws_iam_role.app.arn]
      Rules = [
        { ResourceType = "collection", Resource = local.collection_resource, Permission = ["aoss:DescribeCollectionItems"] },
        { ResourceType = "index", Resource = local.index_resource, Permission = ["aoss:DescribeIndex", "aoss:ReadDocument", "aoss:WriteDocument"] },
      ]
    },
    {
      Description = "The dashboard reads them"
      Principal   = [local.dashboard_role_arn]
      Rules = [
        { ResourceType = "index", Resource = local.index_resource, Permission = ["aoss:DescribeIndex", "aoss:ReadDocument"] },
      ]
    },
    {
      Description = "The index manager creates the indexes"
      Principal   = [module.indexes.role_arn]
      Rules = [
        { ResourceType = "collection", Resource = local.collection_resource, Permission = ["aoss:DescribeCollectionItems"] },
        { ResourceType = "index", Resource = local.index_resource, Permission = ["aoss:CreateIndex", "aoss:DescribeIndex", "aoss:UpdateIndex", "aoss:DeleteIndex"] },
      ]
    },
    {
      Description = "The Airflow batch DAG (operations stack) writes batch results"
      Principal   = [local.airflow_role_arn]
      Rules = [
        { ResourceType = "index", Resource = ["index/${local.collection_name}/${local.batch_index}"], Permission = ["aoss:DescribeIndex", "aoss:ReadDocument", "aoss:WriteDocument"] },
      ]
    },
    {
      Description = "The Airflow batch DAG reads the streaming results"
      Principal   = [local.airflow_role_arn]
      Rules = [
        { ResourceType = "index", Resource = ["index/${local.collection_name}/${local.processed_index}"], Permission = ["aoss:DescribeIndex", "aoss:ReadDocument"] },
      ]
    },
  ])
}

resource "aws_opensearchserverless_collection" "results" {
  name             = local.collection_name
  description      = "Summaries and sentiments of the ${local.name} reviews, and their dead letters"
  type             = "SEARCH"
  standby_replicas = var.collection_standby_replicas ? "ENABLED" : "DISABLED"
  tags             = local.tags

  depends_on = [
    aws_opensearchserverless_security_policy.encryption,
    aws_opensearchserverless_security_policy.network,
  ]
}

# --- The indexes, created from inside the VPC by the platform's index manager (apps/vector_index) ---

module "indexes" {
  source = "../../modules/opensearch-index-manager"

  name                           = local.index_manager
  description                    = "Creates the review indexes of ${local.collection_name} (invoked by Terraform)"
  collection_arn                 = aws_opensearchserverless_collection.results.arn
  collection_endpoint            = aws_opensearchserverless_collection.results.collection_endpoint
  vpc_id                         = local.vpc_id
  subnet_ids                     = local.subnet_ids
  vpc_endpoint_security_group_id = aws_security_group.vpc_endpoint.id
  package_path                   = "${local.packages}/vector_index.zip"
  kms_key_arn                    = module.key.arn
  log_retention_days             = var.log_retention_days
  indexes                        = local.index_bodies
  ready_after = [
    aws_opensearchserverless_access_policy.data.id,
    aws_opensearchserverless_security_policy.network.id,
    aws_opensearchserverless_vpc_endpoint.this.id,
    aws_vpc_security_group_ingress_rule.vpc_endpoint_from_index_manager.id,
  ]
  tags = local.tags
}
