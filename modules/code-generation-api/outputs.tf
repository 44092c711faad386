output "url" {
  description = "The route to call: POST (or PUT) with a SigV4 signature for execute-api."
  value       = "${aws_apigatewayv2_stage.default.invoke_url}code-generation"
}

output "invoke_policy_arn" {
  description = "Managed policy allowing execute-api:Invoke on the route: attach it to the callers."
  value       = aws_iam_policy.invoke.arn
}

output "bucket" {
  description = "Bucket of the generated code."
  value       = module.bucket.name
}

output "function_name" {
  description = "The Lambda function."
  value       = module.function.function_name
}

output "function_policy" {
  description = "The function role's policy (JSON)."
  value       = module.function.policy
}
