# The environment's dashboard, alarms, alarm topic and cost budget (modules/observability): here,
# in the last stack applied, because they watch what every other stack creates (names below are
# theirs, deterministic or published in SSM), and a stack of its own would need its own CI plan
# and apply jobs for a handful of resources that change with these.

module "observability" {
  source = "../../modules/observability"

  name                   = local.name
  environment            = var.environment
  metering               = local.metering
  alarm_email            = var.alarm_email
  monthly_cost_limit_usd = var.monthly_cost_limit_usd
  watch = {
    # modules/code-generation-api's and modules/bedrock-agent's function names.
    lambda_functions = ["${local.name}-code-generation", "${local.name}-case-sheets"]
    http_api_id      = try(regex("^https://([a-z0-9]+)\\.execute-api\\.", local.upstream["bedrock/code-generation-url"])[0], null)
    stream_name      = local.upstream["streaming/stream-name"]
    # infra/streaming's application name.
    flink_application = "${local.name}-review-sentiment"
    collection_name   = local.upstream["streaming/collection-name"]
    mwaa_environment  = var.mwaa_enabled ? local.environment_name : null
  }
  tags = local.tags
}
