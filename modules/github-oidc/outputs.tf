output "plan_role_arn" {
  description = "Role the plan workflow assumes (GitHub environment <environment>-plan): read-only plus the state lock."
  value       = aws_iam_role.github["plan"].arn
}

output "apply_role_arn" {
  description = "Role the apply workflow assumes (GitHub environment <environment>)."
  value       = aws_iam_role.github["apply"].arn
}

output "oidc_provider_arn" {
  description = "ARN of the account's GitHub OIDC provider (created by infra/bootstrap)."
  value       = local.provider_arn
}
