output "repository_urls" {
  description = "Repository URL per app name, e.g. { claude-chat = \"123456789012.dkr.ecr.us-east-1.amazonaws.com/genai/dev/claude-chat\" }."
  value       = { for name, repo in aws_ecr_repository.this : name => repo.repository_url }
}

output "repository_arns" {
  description = "Repository ARN per app name (for push/pull policies)."
  value       = { for name, repo in aws_ecr_repository.this : name => repo.arn }
}

output "kms_key_arn" {
  description = "KMS key that encrypts the repositories."
  value       = aws_kms_key.ecr.arn
}
