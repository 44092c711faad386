# The results: an OpenSearch Serverless collection of type SEARCH, not TIMESERIES, although the
# reviews are events: time-series collections refuse documents with an id of the caller's
# choosing, and the id (the review id) is what makes a replay overwrite instead of duplicating.
# Only the VPC endpoint reaches it; the data access policy names the four roles that use it.

locals {
  collection_name = "${local.name}-reviews"
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

module "collection" {
  source = "../../modules/opensearch-collection"

  permissions_boundary = local.permissions_boundary

  name             = local.collection_name
  description      = "Summaries and sentiments of the ${local.name} reviews, and their dead letters"
  type             = "SEARCH"
  standby_replicas = var.collection_standby_replicas
  kms_key_arn      = module.key.arn
  vpc_endpoint     = { vpc_id = local.vpc_id, subnet_ids = local.subnet_ids }
  allowed_security_groups = {
    "the Flink application" = aws_security_group.app.id
  }
  # Pods take addresses of the VPC (VPC CNI): the dashboard reaches the endpoint from the VPC's
  # range; the data access policy still admits only its role.
  allowed_cidrs = [local.vpc_cidr]
  access = [
    {
      description            = "The Flink application writes results and dead letters"
      principals             = [aws_iam_role.app.arn]
      collection_permissions = ["aoss:DescribeCollectionItems"]
      index_permissions      = ["aoss:DescribeIndex", "aoss:ReadDocument", "aoss:WriteDocument"]
    },
    {
      description       = "The dashboard reads them"
      principals        = [local.dashboard_role_arn]
      index_permissions = ["aoss:DescribeIndex", "aoss:ReadDocument"]
    },
    {
      description       = "The Airflow batch DAG (operations stack) writes batch results"
      principals        = [local.airflow_role_arn]
      index_permissions = ["aoss:DescribeIndex", "aoss:ReadDocument", "aoss:WriteDocument"]
      indexes           = [local.batch_index]
    },
    {
      description       = "The Airflow batch DAG reads the streaming results"
      principals        = [local.airflow_role_arn]
      index_permissions = ["aoss:DescribeIndex", "aoss:ReadDocument"]
      indexes           = [local.processed_index]
    },
  ]
  index_manager_package = "${local.packages}/vector_index.zip"
  indexes               = local.index_bodies
  log_retention_days    = var.log_retention_days
  tags                  = local.tags
}
