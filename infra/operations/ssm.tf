# Airflow Variables: the only way the DAGs learn ids, ARNs and thresholds. MWAA's Systems
# Manager secrets backend (mwaa.tf) reads Variable <name> from
# /<project>/<env>/airflow/variables/<name>; tests set AIRFLOW_VAR_<NAME> instead.

locals {
  airflow_variable_values = {
    aws_region                     = module.environment.region
    knowledge_base_id              = local.upstream["bedrock/knowledge-base-id"]
    data_source_id                 = local.upstream["bedrock/data-source-id"]
    documents_bucket               = local.documents_bucket
    documents_prefix               = local.documents_prefix
    rag_model_arn                  = local.model_arns.rag
    rag_min_hit_rate               = tostring(var.rag_min_hit_rate)
    operations_bucket              = module.work_bucket.name
    operations_kms_key_arn         = module.key.arn
    batch_model_id                 = local.models.batch.model_id
    batch_role_arn                 = aws_iam_role.bedrock["batch"].arn
    reviews_archive_bucket         = local.archive_bucket
    reviews_archive_prefix         = local.archive_prefix
    collection_endpoint            = local.upstream["streaming/collection-endpoint"]
    batch_index                    = local.batch_index
    customization_base_model_id    = local.customization_base
    customization_role_arn         = aws_iam_role.bedrock["customization"].arn
    customization_training_uri     = "s3://${module.work_bucket.name}/customization/data/train.jsonl"
    customization_output_uri       = "s3://${module.work_bucket.name}/customization/output/"
    provisioned_throughput_enabled = tostring(var.provisioned_throughput_enabled)
    invoke_model_id                = local.models.invoke.model_id
    # Who the DAGs' model calls are metered as (apps/bedrock_ops/metering.py): the app's declared
    # name, the environment, and the catalog model behind each id or ARN they call.
    platform_environment = var.environment
    metering_app         = yamldecode(file("${path.module}/../../apps/bedrock_ops/app.yaml")).name
    metered_models = jsonencode({
      (local.model_arns.rag)         = local.models.rag.foundation_model_id
      (local.models.invoke.model_id) = local.models.invoke.foundation_model_id
    })
  }
}

resource "aws_ssm_parameter" "airflow_variables" {
  # checkov:skip=CKV2_AWS_34:Ids, names, ARNs and thresholds are identifiers, not secrets.
  # checkov:skip=CKV_AWS_337:Ids, names, ARNs and thresholds are identifiers, not secrets.
  for_each = local.airflow_variable_values

  name  = "${local.airflow_variables}/${each.key}"
  type  = "String"
  value = each.value
  tags  = local.tags
}

# What CI (scripts/publish-dags, the smoke DAG after a deploy) and the smoke check read.
# environment-name exists only while MWAA runs: without it CI publishes the DAGs and triggers nothing.
resource "aws_ssm_parameter" "outputs" {
  # checkov:skip=CKV2_AWS_34:Names are identifiers, not secrets.
  # checkov:skip=CKV_AWS_337:Names are identifiers, not secrets.
  for_each = merge(
    {
      "dags-bucket"    = module.airflow_bucket.name
      "dashboard-name" = module.observability.dashboard_name
      "alarm-names"    = join(",", module.observability.alarm_names)
    },
    var.mwaa_enabled ? { "environment-name" = aws_mwaa_environment.this[0].name } : {},
  )

  name  = "${local.ssm_prefix}/${each.key}"
  type  = "String"
  value = each.value
  tags  = local.tags
}
