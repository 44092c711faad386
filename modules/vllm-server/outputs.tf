output "service_name" {
  description = "Name of the ClusterIP Service."
  value       = kubernetes_service_v1.this.metadata[0].name
}

output "base_url" {
  description = "The OpenAI-compatible API inside the cluster (OPENAI_BASE_URL)."
  value       = "http://${kubernetes_service_v1.this.metadata[0].name}.${var.namespace}.svc.cluster.local/v1"
}

output "served_model" {
  description = "The model name clients ask for to get the adapter (OPENAI_MODEL)."
  value       = var.adapter.name
}

output "max_lora_rank" {
  description = "vLLM's --max-lora-rank: the smallest value it accepts that holds the adapter's rank."
  value       = local.max_lora_rank
}

output "args" {
  description = "The vLLM server's arguments."
  value       = local.args
}

output "iam_role_arn" {
  description = "ARN of the server's Pod Identity role."
  value       = module.pod_identity.role_arn
}

output "port" {
  description = "The port the server's pods listen on (the Service maps port 80 to it)."
  value       = local.port
}

output "pod_labels" {
  description = "Labels of the server's pods, for NetworkPolicies that admit its clients."
  value       = local.labels
}
