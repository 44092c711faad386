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
