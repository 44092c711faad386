output "environment_name" {
  description = "The MWAA environment, or null while mwaa_enabled is false."
  value       = one(aws_mwaa_environment.this[*].name)
}

output "webserver_url" {
  description = "The private Airflow web server (reachable from webserver_allowed_cidrs), or null while MWAA is off."
  value       = one(aws_mwaa_environment.this[*].webserver_url)
}

output "execution_role_arn" {
  description = "The MWAA execution role, or null while MWAA is off."
  value       = one(aws_iam_role.airflow[*].arn)
}

output "dags_bucket" {
  description = "The bucket MWAA reads its DAGs (dags/) and requirements.txt from; CI publishes the DAGs to it."
  value       = module.airflow_bucket.name
}

output "requirements_version" {
  description = "The S3 object version of requirements.txt the environment installs."
  value       = aws_s3_object.requirements.version_id
}

output "operations_bucket" {
  description = "The DAGs' work bucket: rag-evaluation/, batch-input/, batch-output/, customization/."
  value       = module.work_bucket.name
}

output "kms_key_arn" {
  description = "The key of the work bucket, the DAGs bucket and the MWAA environment."
  value       = module.key.arn
}

output "batch_role_arn" {
  description = "The Bedrock service role of batch inference jobs."
  value       = aws_iam_role.bedrock["batch"].arn
}

output "customization_role_arn" {
  description = "The Bedrock service role of model customization jobs."
  value       = aws_iam_role.bedrock["customization"].arn
}

output "airflow_variables_prefix" {
  description = "SSM path of the Airflow Variables the DAGs read (the secrets backend's variables_prefix)."
  value       = local.airflow_variables
}
