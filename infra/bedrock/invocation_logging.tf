# Bedrock's model-invocation logging (README, "Where the metrics go on AWS"): every call's
# metadata, and its prompts and answers where the environment turns log_model_text on. Bedrock
# holds one configuration per account and Region: of environments sharing both, one keeps
# model_invocation_logging on.

locals {
  # A production-tier environment keeps a year of records in the log group (the bucket keeps its
  # copy), a development one a month, unless the tfvars say otherwise.
  invocation_log_retention_days = coalesce(var.invocation_log_retention_days, local.production ? 365 : 30)
}

module "invocation_logging" {
  source = "../../modules/bedrock-invocation-logging"
  count  = var.model_invocation_logging ? 1 : 0

  name                 = local.name
  log_text             = module.environment.log_model_text
  log_retention_days   = local.invocation_log_retention_days
  permissions_boundary = nonsensitive(data.aws_ssm_parameter.network["permissions-boundary-arn"].value)
  force_destroy        = local.force_destroy
  tags                 = local.tags
}
