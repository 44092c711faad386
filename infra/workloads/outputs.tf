output "claude_chat_url" {
  description = "URL of the chat app's load balancer (null when it is cluster-internal: use kubectl port-forward)."
  value       = module.claude_chat.load_balancer_hostname == null ? null : "http://${module.claude_chat.load_balancer_hostname}"
}

output "claude_chat_role_arn" {
  description = "Pod Identity role of the chat app."
  value       = module.claude_chat.iam_role_arn
}

output "kb_assistant_url" {
  description = "URL of the KB assistant's load balancer (null when exposure is cluster)."
  value       = module.kb_assistant.load_balancer_hostname == null ? null : "http://${module.kb_assistant.load_balancer_hostname}"
}

output "kb_assistant_role_arn" {
  description = "IAM role of the KB assistant's pods (Pod Identity)."
  value       = module.kb_assistant.iam_role_arn
}

output "agent_assistant_url" {
  description = "URL of the agent assistant's load balancer (null when exposure is cluster)."
  value       = module.agent_assistant.load_balancer_hostname == null ? null : "http://${module.agent_assistant.load_balancer_hostname}"
}

output "agent_assistant_role_arn" {
  description = "IAM role of the agent assistant's pods (Pod Identity)."
  value       = module.agent_assistant.iam_role_arn
}
