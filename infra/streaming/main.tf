# The environment's tier, Region and models (environments/<environment>/environment.yaml and
# environments/models.yaml): rules that differ between environments follow the tier.
module "environment" {
  source    = "../../modules/environment"
  name      = var.environment
  directory = "${path.module}/../../environments"
}

# Real-time review sentiment: reviews arrive on a Kinesis data stream; a Managed Service for
# Apache Flink application (apps/review_stream, PyFlink) asks Bedrock for a one-sentence summary
# and a sentiment of each, and writes the results, keyed by review id, to an OpenSearch
# Serverless collection reachable only through its VPC endpoint. Records that still fail go to
# a dead-letter index beside them.

locals {
  name = "${var.project}-${var.environment}"
  tags = {
    Project     = var.project
    Environment = var.environment
    Stack       = "streaming"
    ManagedBy   = "terraform"
  }
  platform   = "/${var.project}/${var.environment}/platform"
  ssm_prefix = "/${var.project}/${var.environment}/streaming"
  # The index manager's zip of scripts/package-lambda (scripts/tf builds it before plan and apply).
  packages = coalesce(var.lambda_packages_dir, "${path.module}/../../dist")

  app_name          = "${local.name}-review-sentiment"
  log_group_name    = "/aws/kinesis-analytics/${local.app_name}"
  index_manager     = "${local.name}-reviews-index"
  profile_arn       = "arn:aws:bedrock:${module.environment.region}:${data.aws_caller_identity.current.account_id}:inference-profile/${local.model.model_id}"
  processed_index   = "processed_reviews"
  dead_letter_index = "review_dead_letters"

  # The environment's model for review sentiments (environments/models.yaml), and what differs
  # by tier unless the tfvars say otherwise.
  model         = module.environment.models.review_sentiment
  production    = module.environment.production
  force_destroy = coalesce(var.force_destroy, !local.production)
}

data "aws_caller_identity" "current" {}

# Published by the platform stack.
data "aws_ssm_parameter" "network" {
  for_each = toset(["vpc-id", "vpc-cidr", "private-subnet-ids", "permissions-boundary-arn"])
  name     = "${local.platform}/${each.key}"
}

locals {
  vpc_id     = nonsensitive(data.aws_ssm_parameter.network["vpc-id"].value)
  vpc_cidr   = nonsensitive(data.aws_ssm_parameter.network["vpc-cidr"].value)
  subnet_ids = split(",", nonsensitive(data.aws_ssm_parameter.network["private-subnet-ids"].value))
  # Every role of the stack carries it: the CI apply role creates no role without it.
  permissions_boundary = nonsensitive(data.aws_ssm_parameter.network["permissions-boundary-arn"].value)
}

# One key for the stream, the code, the application's state, the collection and the logs.
module "key" {
  source = "../../modules/kms-key"

  alias           = "${local.name}-streaming"
  description     = "Encrypts the ${local.name} review stream, its application and its results"
  log_group_names = [local.log_group_name, "/aws/lambda/${local.index_manager}"]
  # Managed Flink encrypts the application's state with it (flink.tf).
  policy_documents = [data.aws_iam_policy_document.key_for_application_state.json]
  tags             = local.tags
}

resource "aws_kinesis_stream" "reviews" {
  name             = "${local.name}-reviews"
  retention_period = var.stream_retention_hours
  shard_count      = var.stream_mode == "PROVISIONED" ? var.stream_shards : null
  encryption_type  = "KMS"
  kms_key_id       = module.key.arn

  stream_mode_details {
    stream_mode = var.stream_mode
  }

  # The iterator-age alarm reads the stream-level metrics; shard-level ones cost extra.
  shard_level_metrics = []
}

# The application's code: the zip of the flink-app workflow, uploaded by Terraform so that a
# new build is a new object the application is updated to.
module "code_bucket" {
  source = "../../modules/private-bucket"

  name          = "${local.name}-streaming-code-${data.aws_caller_identity.current.account_id}"
  kms_key_arn   = module.key.arn
  force_destroy = local.force_destroy
  tags          = local.tags
}

resource "aws_s3_object" "flink_app" {
  count = var.flink_app_package == null ? 0 : 1

  bucket      = module.code_bucket.name
  key         = "review-sentiment/${filesha256(var.flink_app_package)}.zip"
  source      = var.flink_app_package
  kms_key_id  = module.key.arn
  source_hash = filesha256(var.flink_app_package)

  # Versioning on first: the application pins the object's version.
  depends_on = [module.code_bucket]
}

# What the producer, the dashboard and the smoke check read.
resource "aws_ssm_parameter" "outputs" {
  # checkov:skip=CKV2_AWS_34:Names, ARNs, a prefix and an endpoint are identifiers, not secrets.
  # checkov:skip=CKV_AWS_337:Names, ARNs, a prefix and an endpoint are identifiers, not secrets.
  for_each = merge({
    "stream-name"         = aws_kinesis_stream.reviews.name
    "stream-arn"          = aws_kinesis_stream.reviews.arn
    "collection-endpoint" = module.collection.endpoint
    "collection-arn"      = module.collection.arn
    "collection-name"     = module.collection.name
    "vpc-endpoint-sg-id"  = module.collection.vpc_endpoint_security_group_id
    "processed-index"     = local.processed_index
    "dead-letter-index"   = local.dead_letter_index
    "kms-key-arn"         = module.key.arn
    # The archive, for the operations stack's batch DAG (Airflow Variables reviews_archive_*);
    # its readers decrypt it through S3 with its key.
    "archive-bucket"      = module.archive_bucket.name
    "archive-prefix"      = local.archive_prefix
    "archive-kms-key-arn" = module.archive_key.arn
    },
    # Once there is an application (the built zip): the smoke check looks for it.
    { for app in aws_kinesisanalyticsv2_application.reviews : "application-name" => app.name },
  )

  name  = "${local.ssm_prefix}/${each.key}"
  type  = "String"
  value = each.value
  tags  = local.tags
}
