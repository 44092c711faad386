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
}

# Published by the platform stack.
data "aws_ssm_parameter" "network" {
  for_each = toset(["vpc-id", "vpc-cidr", "private-subnet-ids"])
  name     = "${local.platform}/${each.key}"
}

# The CI roles of modules/github-oidc: apply manages the vector index, plan refreshes it.
data "aws_iam_role" "github" {
  for_each = toset(["plan", "apply"])
  name     = "${local.name}-github-${each.key}"
}

module "knowledge_base" {
  source = "../../modules/bedrock-knowledge-base"

  name                 = local.name
  description          = "AWS Competency program documents for the KB assistant and the case-sheet agent"
  embedding_model_id   = var.embedding_model_id
  embedding_dimensions = var.embedding_dimensions
  chunking             = var.chunking
  standby_replicas     = var.collection_standby_replicas
  allow_public_access  = var.collection_public_access
  vpc_endpoint = {
    vpc_id        = data.aws_ssm_parameter.network["vpc-id"].value
    subnet_ids    = split(",", data.aws_ssm_parameter.network["private-subnet-ids"].value)
    allowed_cidrs = [data.aws_ssm_parameter.network["vpc-cidr"].value]
  }
  index_admin_arns  = concat([data.aws_iam_role.github["apply"].arn], var.index_admin_arns)
  index_reader_arns = [data.aws_iam_role.github["plan"].arn]
  force_destroy     = var.force_destroy
  tags              = local.tags
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

  name                     = local.name
  model_id                 = var.agent_model.model_id
  foundation_model_id      = var.agent_model.foundation_model_id
  instruction              = trimspace(file("${path.module}/agent-instruction.txt"))
  idle_session_ttl_seconds = var.agent_idle_session_ttl_seconds
  api_schema_path          = "${path.module}/../../apps/case_sheets/openapi.json"
  package_path             = "${path.module}/../../dist/case_sheets.zip"
  knowledge_base_id        = module.knowledge_base.knowledge_base_id
  knowledge_base_arn       = module.knowledge_base.knowledge_base_arn
  guardrail_id             = module.guardrail.guardrail_id
  guardrail_arn            = module.guardrail.guardrail_arn
  guardrail_version        = module.guardrail.guardrail_version
  deletion_protection      = var.case_table_deletion_protection
  force_destroy            = var.force_destroy
  tags                     = local.tags
}

# Downstream stacks, scripts/kb-sync and the ingest job read these.
resource "aws_ssm_parameter" "outputs" {
  for_each = {
    "knowledge-base-id"  = module.knowledge_base.knowledge_base_id
    "knowledge-base-arn" = module.knowledge_base.knowledge_base_arn
    "data-source-id"     = module.knowledge_base.data_source_id
    "documents-bucket"   = module.knowledge_base.documents_bucket
    "documents-prefix"   = module.knowledge_base.documents_prefix
    "kms-key-arn"        = module.knowledge_base.kms_key_arn
    "guardrail-id"       = module.guardrail.guardrail_id
    "guardrail-arn"      = module.guardrail.guardrail_arn
    "guardrail-version"  = module.guardrail.guardrail_version
    "agent-id"           = module.agent.agent_id
    "agent-alias-id"     = module.agent.agent_alias_id
    "agent-alias-arn"    = module.agent.agent_alias_arn
    "agent-kms-key-arn"  = module.agent.kms_key_arn
  }

  # checkov:skip=CKV2_AWS_34:Ids and names are identifiers, not secrets.
  # checkov:skip=CKV_AWS_337:Ids and names are identifiers, not secrets.
  name  = "${local.ssm_prefix}/${each.key}"
  type  = "String"
  value = each.value
}
