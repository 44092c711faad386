output "arn" {
  description = "ARN of the role."
  value       = aws_iam_role.this.arn
}

output "policy_json" {
  description = "The permissions as attached; depend on it to wait for the policy, not just the role."
  value       = aws_iam_role_policy.this.policy
}
