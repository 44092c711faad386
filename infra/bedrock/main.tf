# The environment's tier, Region and models (environments/<environment>/environment.yaml and
# environments/models.yaml): rules that differ between environments follow the tier.
module "environment" {
  source    = "../../modules/environment"
  name      = var.environment
  directory = "${path.module}/../../environments"
}

locals {
  name = "${var.project}-${var.environment}"
  tags = {
    Project     = var.project
    Environment = var.environment
    Stack       = "bedrock"
    ManagedBy   = "terraform"
  }
  platform   = "/${var.project}/${var.environment}/platform"
  ssm_prefix = "/${var.project}/${var.environment}/bedrock"
  # The Lambda zips of scripts/package-lambda (scripts/tf builds them before plan and apply).
  packages = coalesce(var.lambda_packages_dir, "${path.module}/../../dist")

  # The environment's models (environments/models.yaml), and what differs by tier unless the
  # tfvars say otherwise: a production-tier environment keeps its data.
  models                         = module.environment.models
  production                     = module.environment.production
  force_destroy                  = coalesce(var.force_destroy, !local.production)
  case_table_deletion_protection = coalesce(var.case_table_deletion_protection, local.production)
}

# Published by the platform stack.
data "aws_ssm_parameter" "network" {
  for_each = toset(["vpc-id", "private-subnet-ids", "permissions-boundary-arn"])
  name     = "${local.platform}/${each.key}"
}

module "knowledge_base" {
  source = "../../modules/bedrock-knowledge-base"

  permissions_boundary = nonsensitive(data.aws_ssm_parameter.network["permissions-boundary-arn"].value)
  name                 = local.name
  description          = "AWS Competency program documents for the KB assistant and the case-sheet agent"
  embedding_model_id   = local.models.embedding.model_id
  embedding_dimensions = local.models.embedding.dimensions
  chunking             = var.chunking
  standby_replicas     = var.collection_standby_replicas
  allow_public_access  = var.collection_public_access
  vpc_endpoint = {
    vpc_id        = data.aws_ssm_parameter.network["vpc-id"].value
    subnet_ids    = split(",", data.aws_ssm_parameter.network["private-subnet-ids"].value)
    allowed_cidrs = var.collection_allowed_cidrs
  }
  index_manager_package = "${local.packages}/vector_index.zip"
  force_destroy         = local.force_destroy
  tags                  = local.tags
}

module "guardrail" {
  source = "../../modules/bedrock-guardrail"

  name          = "${local.name}-assistants"
  denied_topics = var.guardrail_denied_topics
  pii_entities  = var.guardrail_pii_entities
  tags          = local.tags
}

module "agent" {
  source = "../../modules/bedrock-agent"

  permissions_boundary     = nonsensitive(data.aws_ssm_parameter.network["permissions-boundary-arn"].value)
  name                     = local.name
  model_id                 = local.models.agent.model_id
  foundation_model_id      = local.models.agent.foundation_model_id
  instruction              = trimspace(file("${path.module}/agent-instruction.txt"))
  idle_session_ttl_seconds = var.agent_idle_session_ttl_seconds
  api_schema_path          = "${path.module}/../../apps/case_sheets/openapi.json"
  package_path             = "${local.packages}/case_sheets.zip"
  # The action group's table as its declaration gives it (local mode creates its table from the same).
  case_table = yamldecode(file("${path.module}/../../apps/case_sheets/app.yaml")).data.tables["case-sheets"]
  knowledge_base = {
    id  = module.knowledge_base.knowledge_base_id
    arn = module.knowledge_base.knowledge_base_arn
  }
  guardrail_id                = module.guardrail.guardrail_id
  guardrail_arn               = module.guardrail.guardrail_arn
  guardrail_version           = module.guardrail.guardrail_version
  lambda_reserved_concurrency = var.case_sheets_reserved_concurrency
  deletion_protection         = local.case_table_deletion_protection
  force_destroy               = local.force_destroy
  tags                        = local.tags
}

module "code_generation" {
  source = "../../modules/code-generation-api"

  permissions_boundary = nonsensitive(data.aws_ssm_parameter.network["permissions-boundary-arn"].value)
  name                 = local.name
  models               = local.code_generation_models
  metered_as           = { app = "code-generation", environment = var.environment }
  token_budget         = local.code_generation_budget
  guardrail_id         = module.guardrail.guardrail_id
  guardrail_version    = module.guardrail.guardrail_version
  guardrail_arn        = module.guardrail.guardrail_arn
  package_path         = "${local.packages}/code_generation.zip"
  throttle             = var.code_generation_throttle
  cors_allowed_origins = var.code_generation_cors_origins
  reserved_concurrency = var.code_generation_reserved_concurrency
  invoker_role_names   = var.code_generation_invoker_roles
  force_destroy        = local.force_destroy
  tags                 = local.tags
}

# The API calls its own inference profiles (inference_profiles.tf) and charges the budgets its
# declaration sets for the tier (token_budgets.tf).
locals {
  code_generation_models = [
    for m in local.models.code_generation : merge(m, { profile_arn = aws_bedrock_inference_profile.app["code-generation/${m.model_id}"].arn })
  ]
  code_generation_budget = {
    table_name        = aws_dynamodb_table.token_budgets.name
    policy_json       = data.aws_iam_policy_document.charge_token_budgets.json
    app_daily_tokens  = local.metered_apps["code-generation"].budgets.app_daily_tokens[module.environment.tier]
    user_daily_tokens = local.metered_apps["code-generation"].budgets.user_daily_tokens[module.environment.tier]
  }
}

# Downstream stacks, scripts/kb-sync and the ingest job read these.
resource "aws_ssm_parameter" "outputs" {
  for_each = {
    "code-generation-url"  = module.code_generation.url
    "knowledge-base-id"    = module.knowledge_base.knowledge_base_id
    "knowledge-base-arn"   = module.knowledge_base.knowledge_base_arn
    "data-source-id"       = module.knowledge_base.data_source_id
    "documents-bucket"     = module.knowledge_base.documents_bucket
    "documents-prefix"     = module.knowledge_base.documents_prefix
    "kms-key-arn"          = module.knowledge_base.kms_key_arn
    "guardrail-id"         = module.guardrail.guardrail_id
    "guardrail-arn"        = module.guardrail.guardrail_arn
    "guardrail-version"    = module.guardrail.guardrail_version
    "agent-id"             = module.agent.agent_id
    "agent-alias-id"       = module.agent.agent_alias_id
    "agent-alias-arn"      = module.agent.agent_alias_arn
    "agent-kms-key-arn"    = module.agent.kms_key_arn
    "case-sheets-function" = module.agent.function_name
    # The apps' token budgets (token_budgets.tf) and the key their roles use through DynamoDB.
    "token-budget-table"       = aws_dynamodb_table.token_budgets.name
    "token-budget-table-arn"   = aws_dynamodb_table.token_budgets.arn
    "token-budget-kms-key-arn" = module.token_budget_key.arn
  }

  # checkov:skip=CKV2_AWS_34:Ids and names are identifiers, not secrets.
  # checkov:skip=CKV_AWS_337:Ids and names are identifiers, not secrets.
  name  = "${local.ssm_prefix}/${each.key}"
  type  = "String"
  value = each.value
}
