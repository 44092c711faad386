output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = module.eks.cluster_name
}

output "cluster_arn" {
  description = "ARN of the EKS cluster."
  value       = module.eks.cluster_arn
}

output "cluster_endpoint" {
  description = "Endpoint of the Kubernetes API."
  value       = module.eks.cluster_endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64-encoded CA certificate of the Kubernetes API."
  value       = module.eks.cluster_certificate_authority_data
}

output "node_security_group_id" {
  description = "Security group shared by the nodes."
  value       = module.eks.node_security_group_id
}

output "gpu_node_selector" {
  description = "Node selector that places a pod on the GPU node group (it also needs gpu_toleration)."
  value       = { "nvidia.com/gpu.present" = "true" }
}

output "gpu_toleration" {
  description = "Toleration for the GPU node group's taint."
  value       = { key = "nvidia.com/gpu", operator = "Equal", value = "true", effect = "NoSchedule" }
}
