output "guardrail_id" {
  description = "Id of the guardrail (guardrailIdentifier in Converse and RetrieveAndGenerate)."
  value       = aws_bedrock_guardrail.this.guardrail_id
}

output "guardrail_arn" {
  description = "ARN of the guardrail, for bedrock:ApplyGuardrail in the callers' policies."
  value       = aws_bedrock_guardrail.this.guardrail_arn
}

output "guardrail_version" {
  description = "Published version the apps use."
  value       = aws_bedrock_guardrail_version.this.version
}
