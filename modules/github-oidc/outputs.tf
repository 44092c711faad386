output "plan_role_arn" {
  description = "Role the plan workflow assumes (GitHub environment <environment>-plan): configuration reads plus the state lock."
  value       = aws_iam_role.github["plan"].arn
}

output "apply_role_arn" {
  description = "Role the deploy workflows assume from the deploy branch (GitHub environment <environment>)."
  value       = aws_iam_role.github["apply"].arn
}

output "oidc_provider_arn" {
  description = "ARN of the account's GitHub OIDC provider (created by infra/bootstrap)."
  value       = local.provider_arn
}

output "permissions_boundary_arn" {
  description = "ARN of the permissions boundary every role the stacks create must carry (the apply role creates no role without it)."
  value       = aws_iam_policy.boundary.arn
}

output "policy_documents" {
  description = "The rendered policies, by name (plan_trust, apply_trust, plan, plan_state, apply, apply_iam, apply_state, boundary): for review and for offline checks."
  value = merge(
    { for kind, doc in data.aws_iam_policy_document.trust : "${kind}_trust" => doc.json },
    { for kind, doc in data.aws_iam_policy_document.state : "${kind}_state" => doc.json },
    {
      plan      = data.aws_iam_policy_document.plan.json
      apply     = data.aws_iam_policy_document.apply.json
      apply_iam = data.aws_iam_policy_document.apply_iam.json
      boundary  = data.aws_iam_policy_document.boundary.json
    },
  )
}
