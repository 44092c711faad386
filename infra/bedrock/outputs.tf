output "knowledge_base_id" {
  description = "Id of the knowledge base."
  value       = module.knowledge_base.knowledge_base_id
}

output "data_source_id" {
  description = "Id of the knowledge base's S3 data source."
  value       = module.knowledge_base.data_source_id
}

output "documents_bucket" {
  description = "Bucket the competency ingest uploads to."
  value       = module.knowledge_base.documents_bucket
}

output "guardrail_id" {
  description = "Id of the assistants' guardrail."
  value       = module.guardrail.guardrail_id
}

output "guardrail_version" {
  description = "Published guardrail version the apps use."
  value       = module.guardrail.guardrail_version
}

output "agent_id" {
  description = "Id of the case-sheet agent."
  value       = module.agent.agent_id
}

output "agent_alias_id" {
  description = "Id of the alias the agent assistant invokes."
  value       = module.agent.agent_alias_id
}

output "code_generation_url" {
  description = "The code-generation route: POST with a SigV4 signature (python -m code_generation.client)."
  value       = module.code_generation.url
}

output "code_generation_invoke_policy_arn" {
  description = "Managed policy that lets a role call the code-generation API."
  value       = module.code_generation.invoke_policy_arn
}
