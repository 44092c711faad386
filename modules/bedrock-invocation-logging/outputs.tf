output "log_group_name" {
  description = "The CloudWatch Logs group of the invocation records."
  value       = aws_cloudwatch_log_group.this.name
}

output "bucket" {
  description = "The bucket of the invocation records (prefix invocations/) and of large bodies (large-data/)."
  value       = module.bucket.name
}

output "kms_key_arn" {
  description = "The key of the bucket and the log group: readers of the logs need kms:Decrypt on it."
  value       = module.key.arn
}

output "text_logged" {
  description = "Whether the records carry prompts and answers."
  value       = aws_bedrock_model_invocation_logging_configuration.this.logging_config[0].text_data_delivery_enabled
}
