output "role_arn" {
  description = "ARN of the role."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the role."
  value       = aws_iam_role.this.name
}

output "association_id" {
  description = "ID of the Pod Identity association; depend on it so that pods never start before their identity exists."
  value       = aws_eks_pod_identity_association.this.association_id
}

output "policy_json" {
  description = "The inline policy attached, or null."
  value       = one(aws_iam_role_policy.this[*].policy)
}
