output "agent_id" {
  description = "Id of the agent."
  value       = aws_bedrockagent_agent.this.agent_id
}

output "agent_alias_id" {
  description = "Id of the alias the apps invoke."
  value       = aws_bedrockagent_agent_alias.live.agent_alias_id
}

output "agent_alias_arn" {
  description = "ARN of the alias, for bedrock:InvokeAgent in the callers' policies."
  value       = aws_bedrockagent_agent_alias.live.agent_alias_arn
}

output "table_name" {
  description = "DynamoDB table of the cases."
  value       = aws_dynamodb_table.cases.name
}

output "sheets_bucket" {
  description = "Bucket of the case workbooks."
  value       = module.sheets.name
}

output "function_name" {
  description = "Name of the action-group Lambda."
  value       = module.function.function_name
}

output "kms_key_arn" {
  description = "KMS key of the agent and the case data; callers of InvokeAgent may need kms:Decrypt on it through Bedrock."
  value       = module.key.arn
}

output "revision" {
  description = "Hash of everything the agent is prepared from (instruction, model, schema, knowledge base, guardrail); the alias's description carries it, so a new revision moves the alias to a new version."
  value       = substr(local.agent_revision, 0, 12)
}
