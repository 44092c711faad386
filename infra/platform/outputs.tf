output "cluster_name" {
  description = "Name of the EKS cluster (aws eks update-kubeconfig --name <this>)."
  value       = module.eks_cluster.cluster_name
}

output "vpc_id" {
  description = "ID of the environment's VPC."
  value       = module.network.vpc_id
}

output "ecr_repository_urls" {
  description = "ECR repository URL per app; scripts/push-image pushes there."
  value       = module.container_registry.repository_urls
}

output "github_plan_role_arn" {
  description = "Set as AWS_PLAN_ROLE_ARN in the GitHub environment <env>-plan."
  value       = module.github_oidc.plan_role_arn
}

output "github_apply_role_arn" {
  description = "Set as AWS_APPLY_ROLE_ARN in the GitHub environment <env>."
  value       = module.github_oidc.apply_role_arn
}

output "model_assets_bucket" {
  description = "Bucket of data sets, the shop catalog (catalog/), notebooks' files (notebooks/) and Qdrant snapshots (qdrant-snapshots/)."
  value       = module.model_assets.name
}

output "prometheus_query_endpoint" {
  description = "Prometheus-compatible endpoint of the cluster's metrics workspace: Grafana's data source (SigV4, service aps) for modules/managed-prometheus/dashboards/genai-cluster.json."
  value       = module.prometheus.query_endpoint
}
