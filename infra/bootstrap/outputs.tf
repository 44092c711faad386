output "state_bucket" {
  description = "Name of the Terraform state bucket (scripts/tf derives it the same way)."
  value       = aws_s3_bucket.state.id
}

output "state_kms_key_arn" {
  description = "ARN of the KMS key encrypting the state."
  value       = aws_kms_key.state.arn
}

output "github_oidc_provider_arn" {
  description = "ARN of the account's GitHub Actions OIDC provider, when this stack created it."
  value       = one(aws_iam_openid_connect_provider.github[*].arn)
}
