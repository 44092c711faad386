output "default_storage_class" {
  description = "Name of the default StorageClass (encrypted gp3)."
  value       = kubernetes_storage_class_v1.gp3.metadata[0].name
}

output "load_balancer_controller_version" {
  description = "Chart version of the installed AWS Load Balancer Controller."
  value       = helm_release.aws_load_balancer_controller.version
}

output "nvidia_device_plugin_version" {
  description = "Chart version of the installed NVIDIA device plugin."
  value       = helm_release.nvidia_device_plugin.version
}

output "cpu_node_selector" {
  description = "Node selector that places a pod on Karpenter's CPU nodes (notebooks, Jobs) rather than the system nodes."
  value       = local.cpu_node_selector
}

output "karpenter_version" {
  description = "Chart version of the installed Karpenter."
  value       = helm_release.karpenter.version
}

output "karpenter_nodepools_values" {
  description = "The EC2NodeClasses and NodePools given to the local chart, as YAML values."
  value       = helm_release.karpenter_nodepools.values[0]
}
