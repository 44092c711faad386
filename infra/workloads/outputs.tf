output "app_urls" {
  description = "URL of each deployed app's load balancer, by app name (null when its exposure is cluster: kubectl -n genai port-forward svc/<app> <port>:80)."
  value       = { for name, app in module.app : name => app.load_balancer_hostname == null ? null : "http://${app.load_balancer_hostname}" }
}

output "app_role_arns" {
  description = "Pod Identity role of each deployed app, by app name (an app whose entry in apps.tf gives no policy has a role without permissions)."
  value       = { for name, app in module.app : name => app.iam_role_arn }
}

output "jupyterhub_url" {
  description = "Where JupyterHub is opened: with jupyterhub_exposure = cluster, after kubectl -n jupyterhub port-forward svc/proxy-public 8000:80."
  value       = var.jupyterhub_url
}

output "jupyterhub_user_pool_id" {
  description = "Cognito user pool of JupyterHub's users (create them with aws cognito-idp admin-create-user); null with a shared password."
  value       = one(aws_cognito_user_pool.jupyterhub[*].id)
}

output "notebooks_role_arn" {
  description = "Pod Identity role of the notebooks: each reads and writes notebooks/<pod name>/ and reads notebook_read_prefixes of the model-assets bucket."
  value       = module.notebooks_identity.role_arn
}

output "qdrant_url" {
  description = "Qdrant's REST endpoint in the cluster (from a laptop: kubectl -n qdrant port-forward svc/qdrant 6333)."
  value       = local.qdrant_url
}

output "shop_history_table" {
  description = "DynamoDB table of the shopping sessions' history."
  value       = aws_dynamodb_table.shop_history.name
}

output "hf_token_secret_arn" {
  description = "Secrets Manager secret for the Hugging Face token (gated base models): put the token in it once; Terraform never holds it."
  value       = aws_secretsmanager_secret.hf_token.arn
}

output "loyalty_model_url" {
  description = "The fine-tuned loyalty model's OpenAI-compatible API inside the cluster (OPENAI_BASE_URL), or null when loyalty_adapter is unset."
  value       = one(module.loyalty_model[*].base_url)
}
