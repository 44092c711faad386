output "service_name" {
  description = "Name of the Kubernetes Service (reach it in-cluster at http://<name>.<namespace>)."
  value       = kubernetes_service_v1.this.metadata[0].name
}

output "load_balancer_hostname" {
  description = "DNS name of the NLB, or null for exposure = cluster."
  value       = var.exposure == "cluster" ? null : try(kubernetes_service_v1.this.status[0].load_balancer[0].ingress[0].hostname, null)
}

output "iam_role_arn" {
  description = "ARN of the app's Pod Identity role."
  value       = module.pod_identity.role_arn
}

output "iam_policy" {
  description = "The IAM policy (JSON) attached to the app's role, or null when it has none."
  value       = module.pod_identity.policy_json
}

output "iam_role_name" {
  description = "Name of the app's Pod Identity role."
  value       = module.pod_identity.role_name
}

output "deployment_name" {
  description = "Name of the app's Deployment (kubectl -n <namespace> rollout status deployment/<name>)."
  value       = kubernetes_deployment_v1.this.metadata[0].name
}
