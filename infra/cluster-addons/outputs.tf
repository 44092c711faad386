output "default_storage_class" {
  description = "Name of the cluster's default StorageClass."
  value       = module.addons.default_storage_class
}

output "load_balancer_controller_version" {
  description = "Chart version of the AWS Load Balancer Controller."
  value       = module.addons.load_balancer_controller_version
}
