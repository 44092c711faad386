output "role_arn" {
  description = "The function's role: name it in the collection's data access policy."
  value       = module.function.role_arn
}

output "security_group_id" {
  description = "The function's security group: let it in on 443 at the collection's VPC endpoint."
  value       = aws_security_group.this.id
}

output "function_name" {
  description = "The index manager function."
  value       = module.function.function_name
}

output "results" {
  description = "What each invocation returned (index name => the function's JSON result)."
  value       = { for name, invocation in aws_lambda_invocation.index : name => invocation.result }
}

output "inputs" {
  description = "What each invocation sent (index name => JSON with endpoint, index and body)."
  value       = { for name, invocation in aws_lambda_invocation.index : name => invocation.input }
}
