# The environment's tier, Region and models (environments/<environment>/environment.yaml and
# environments/models.yaml): rules that differ between environments follow the tier.
module "environment" {
  source    = "../../modules/environment"
  name      = var.environment
  directory = "${path.module}/../../environments"
}

# Bedrock operations as Airflow DAGs (apps/bedrock_ops) on Amazon MWAA: knowledge-base refresh,
# RAG evaluation, batch sentiment over the review archive, model customization and a smoke
# invoke. The stack owns what the DAGs work with (a work bucket and its key, the Bedrock service
# roles of batch inference and customization), publishes every id they need as an Airflow
# Variable in SSM, and runs the MWAA environment that reads them (mwaa.tf), which dev leaves off.

locals {
  name = "${var.project}-${var.environment}"
  tags = {
    Project     = var.project
    Environment = var.environment
    Stack       = "operations"
    ManagedBy   = "terraform"
  }
  account_id = data.aws_caller_identity.current.account_id
  platform   = "/${var.project}/${var.environment}/platform"
  bedrock    = "/${var.project}/${var.environment}/bedrock"
  streaming  = "/${var.project}/${var.environment}/streaming"
  ssm_prefix = "/${var.project}/${var.environment}/operations"
  # The DAGs' Airflow Variables and Connections (the SSM secrets backend, mwaa.tf).
  airflow_variables   = "/${var.project}/${var.environment}/airflow/variables"
  airflow_connections = "/${var.project}/${var.environment}/airflow/connections"

  # The MWAA environment and its execution role share the name; the streaming stack admits the
  # role to its collection by this name (<project>-<env>-airflow).
  environment_name = "${local.name}-airflow"
  environment_arn  = "arn:aws:airflow:${module.environment.region}:${local.account_id}:environment/${local.environment_name}"
  # MWAA names its five log groups airflow-<environment>-<component>.
  log_components = ["DAGProcessing", "Scheduler", "Task", "WebServer", "Worker"]
  log_group_names = {
    for component in local.log_components : component => "airflow-${local.environment_name}-${component}"
  }

  # What differs by tier unless the tfvars say otherwise: a production-tier environment keeps
  # its buckets' objects on destroy.
  production    = module.environment.production
  force_destroy = coalesce(var.force_destroy, !local.production)
}

data "aws_caller_identity" "current" {}

# Published by the platform stack.
data "aws_ssm_parameter" "platform" {
  for_each = toset(["vpc-id", "private-subnet-ids", "permissions-boundary-arn"])
  name     = "${local.platform}/${each.key}"
}

# Published by the bedrock stack: the knowledge base the KB refresh and RAG evaluation use.
data "aws_ssm_parameter" "bedrock" {
  for_each = toset(["knowledge-base-id", "knowledge-base-arn", "data-source-id", "documents-bucket", "documents-prefix", "kms-key-arn", "code-generation-url"])
  name     = "${local.bedrock}/${each.key}"
}

# Published by the streaming stack: the raw-review archive and the results collection.
data "aws_ssm_parameter" "streaming" {
  for_each = toset(["archive-bucket", "archive-prefix", "archive-kms-key-arn", "collection-endpoint", "collection-arn", "collection-name", "stream-name"])
  name     = "${local.streaming}/${each.key}"
}

# Ids, names and ARNs, not secrets: unmarked so that plans show the policies built from them
# (the provider marks every parameter value sensitive).
locals {
  upstream = merge(
    { for k, p in data.aws_ssm_parameter.platform : "platform/${k}" => nonsensitive(p.value) },
    { for k, p in data.aws_ssm_parameter.bedrock : "bedrock/${k}" => nonsensitive(p.value) },
    { for k, p in data.aws_ssm_parameter.streaming : "streaming/${k}" => nonsensitive(p.value) },
  )
  vpc_id     = local.upstream["platform/vpc-id"]
  subnet_ids = split(",", local.upstream["platform/private-subnet-ids"])

  knowledge_base_arn = local.upstream["bedrock/knowledge-base-arn"]
  documents_bucket   = local.upstream["bedrock/documents-bucket"]
  documents_prefix   = local.upstream["bedrock/documents-prefix"]
  documents_key_arn  = local.upstream["bedrock/kms-key-arn"]
  archive_bucket     = local.upstream["streaming/archive-bucket"]
  archive_prefix     = local.upstream["streaming/archive-prefix"]
  archive_key_arn    = local.upstream["streaming/archive-kms-key-arn"]
  collection_arn     = local.upstream["streaming/collection-arn"]
  # Created by the streaming stack with processed_reviews' mapping plus a source keyword.
  batch_index = "batch_reviews"
}

# One key for what the stack stores: the work bucket, the DAGs bucket, the MWAA environment
# (its metadata database and Celery queue) and its log groups.
module "key" {
  source = "../../modules/kms-key"

  alias           = "${local.name}-operations"
  description     = "Encrypts the ${local.name} operations data, the Airflow DAGs bucket and the MWAA environment"
  log_group_names = values(local.log_group_names)
  tags            = local.tags
}

# What the DAGs read and write: rag-evaluation/, batch-input/, batch-output/, customization/.
module "work_bucket" {
  source = "../../modules/private-bucket"

  name          = "${local.name}-operations-${local.account_id}"
  kms_key_arn   = module.key.arn
  force_destroy = local.force_destroy
  tags          = local.tags
}

# The models the DAGs call (environments/models.yaml), each an inference profile or a foundation
# model. A cross-region profile routes to its foundation model in any of its Regions: policies
# allow the model behind a profile only through that profile (bedrock:InferenceProfileArn).
locals {
  models             = { for role in ["rag", "batch", "invoke"] : role => module.environment.models[role] }
  customization_base = module.environment.models.customization_base.model_id
  model_arns = {
    for k, m in local.models : k => (
      m.model_id == m.foundation_model_id
      ? "arn:aws:bedrock:${module.environment.region}::foundation-model/${m.model_id}"
      : "arn:aws:bedrock:${module.environment.region}:${local.account_id}:inference-profile/${m.model_id}"
    )
  }
  profile_models = { for k, m in local.models : k => m if m.model_id != m.foundation_model_id }
}

# Model-call metering, declared once (apps/genai_common/metering/metering.json): the dashboard and
# alarms read its metric names, the DAGs' meter puts them under its namespace.
locals {
  metering = jsondecode(file("${path.module}/../../apps/genai_common/metering/metering.json"))
}
