output "claude_chat_url" {
  description = "URL of the chat app's load balancer (null when it is cluster-internal: use kubectl port-forward)."
  value       = module.claude_chat.load_balancer_hostname == null ? null : "http://${module.claude_chat.load_balancer_hostname}"
}

output "claude_chat_role_arn" {
  description = "Pod Identity role of the chat app."
  value       = module.claude_chat.iam_role_arn
}
