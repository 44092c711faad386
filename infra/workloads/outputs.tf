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

output "jupyterhub_url" {
  description = "Where JupyterHub is opened: with jupyterhub_exposure = cluster, after kubectl -n jupyterhub port-forward svc/proxy-public 8000:80."
  value       = var.jupyterhub_url
}

output "jupyterhub_user_pool_id" {
  description = "Cognito user pool of JupyterHub's users (create them with aws cognito-idp admin-create-user); null with a shared password."
  value       = one(aws_cognito_user_pool.jupyterhub[*].id)
}

output "jupyterhub_password" {
  description = "dev's shared JupyterHub password for the users on the allow list; null with cognito."
  value       = one(random_password.jupyterhub_user[*].result)
  sensitive   = true
}

output "jupyterhub_admin_password" {
  description = "dev's shared JupyterHub password for jupyterhub_admin_users; null with cognito."
  value       = one(random_password.jupyterhub_admin[*].result)
  sensitive   = true
}

output "notebooks_role_arn" {
  description = "Pod Identity role of the notebooks: each reads and writes notebooks/<pod name>/ and reads notebook_read_prefixes of the model-assets bucket."
  value       = module.notebooks_identity.role_arn
}

output "qdrant_url" {
  description = "Qdrant's REST endpoint in the cluster (from a laptop: kubectl -n qdrant port-forward svc/qdrant 6333)."
  value       = local.qdrant_url
}

output "shop_rag_role_arn" {
  description = "IAM role of the shopping API's pods (Pod Identity)."
  value       = module.shop_rag.iam_role_arn
}

output "shop_history_table" {
  description = "DynamoDB table of the shopping sessions' history."
  value       = aws_dynamodb_table.shop_history.name
}

output "myretail_chat_url" {
  description = "URL of the MyRetail chatbot's load balancer (null when exposure is cluster)."
  value       = module.myretail_chat.load_balancer_hostname == null ? null : "http://${module.myretail_chat.load_balancer_hostname}"
}

output "myretail_chat_role_arn" {
  description = "IAM role of the chatbot's pods (Pod Identity); it has no permissions when the Loyalty tab uses an OpenAI-compatible server."
  value       = module.myretail_chat.iam_role_arn
}

output "hf_token_secret_arn" {
  description = "Secrets Manager secret for the Hugging Face token (gated base models): put the token in it once; Terraform never holds it."
  value       = aws_secretsmanager_secret.hf_token.arn
}

output "loyalty_model_url" {
  description = "The fine-tuned loyalty model's OpenAI-compatible API inside the cluster (OPENAI_BASE_URL), or null when loyalty_adapter is unset."
  value       = one(module.loyalty_model[*].base_url)
}

output "review_dashboard_url" {
  description = "URL of the review-sentiment dashboard's load balancer (null when exposure is cluster)."
  value       = module.review_dashboard.load_balancer_hostname == null ? null : "http://${module.review_dashboard.load_balancer_hostname}"
}

output "review_dashboard_role_arn" {
  description = "IAM role of the review-sentiment dashboard's pods."
  value       = module.review_dashboard.iam_role_arn
}
