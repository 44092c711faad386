output "arn" {
  description = "ARN of the signing role: the function's SIGNING_ROLE_ARN and what its role may assume."
  value       = aws_iam_role.this.arn
}

output "name" {
  description = "Name of the signing role."
  value       = aws_iam_role.this.name
}

output "permissions_boundary" {
  description = "The boundary the role carries."
  value       = aws_iam_role.this.permissions_boundary
}

output "max_session_duration" {
  description = "Longest session the role allows, in seconds."
  value       = aws_iam_role.this.max_session_duration
}

output "trust_statements" {
  description = "The statements of the role's trust policy, for callers' tests."
  value       = data.aws_iam_policy_document.trust.statement
}

output "policy_statements" {
  description = "The statements of the role's permissions, for callers' tests."
  value       = data.aws_iam_policy_document.this.statement
}
