output "function_name" {
  description = "Name of the function."
  value       = aws_lambda_function.this.function_name
}

output "arn" {
  description = "ARN of the function (action group executors, permissions)."
  value       = aws_lambda_function.this.arn
}

output "role_arn" {
  description = "ARN of the function's role (resource policies that admit it)."
  value       = aws_iam_role.this.arn
}

output "policy" {
  description = "The role's policy as attached (JSON): the caller's statements plus logs and traces."
  value       = aws_iam_role_policy.this.policy
}

output "invoke_arn" {
  description = "ARN API Gateway integrations invoke the function by."
  value       = aws_lambda_function.this.invoke_arn
}
