output "stream_name" {
  description = "The Kinesis data stream the producer writes reviews to."
  value       = aws_kinesis_stream.reviews.name
}

output "collection_endpoint" {
  description = "The results collection's endpoint (reachable only through its VPC endpoint)."
  value       = module.collection.endpoint
}

output "application_name" {
  description = "The Managed Flink application, or null before flink_app_package is set."
  value       = one(aws_kinesisanalyticsv2_application.reviews[*].name)
}

output "code_bucket" {
  description = "Bucket of the application's code."
  value       = module.code_bucket.name
}

output "log_group" {
  description = "The application's CloudWatch log group."
  value       = aws_cloudwatch_log_group.app.name
}

output "archive_bucket" {
  description = "Bucket of the raw-review archive (reviews/date=YYYY-MM-DD/*.jsonl)."
  value       = module.archive_bucket.name
}

output "archive_delivery_stream" {
  description = "The Firehose stream that archives the review stream."
  value       = aws_kinesis_firehose_delivery_stream.archive.name
}
