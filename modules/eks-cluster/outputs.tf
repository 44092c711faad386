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

output "node_groups" {
  description = "The managed node groups as configured: AMI and capacity type, instance types, sizes, labels and taints."
  value = { for name, group in local.node_groups : name => {
    ami_type       = group.ami_type
    capacity_type  = group.capacity_type
    instance_types = group.instance_types
    min_size       = group.min_size
    max_size       = group.max_size
    desired_size   = group.desired_size
    labels         = group.labels
    taints         = group.taints
  } }
}

output "gpu_node_selector" {
  description = "Node selector that places a pod on the GPU node group (it also needs gpu_toleration)."
  value       = local.gpu_node_selector
}

output "gpu_toleration" {
  description = "Toleration for the GPU node group's taint, in Kubernetes' spelling."
  value       = { key = local.gpu_taint.key, operator = "Equal", value = local.gpu_taint.value, effect = "NoSchedule" }
}

output "addons" {
  description = "The EKS add-ons: the pinned version and the configuration values of each."
  value       = { for name, addon in local.addons : name => { version = addon.addon_version, configuration_values = try(addon.configuration_values, null) } }
}
