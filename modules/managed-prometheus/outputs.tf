output "workspace_id" {
  description = "ID of the Prometheus workspace."
  value       = aws_prometheus_workspace.this.id
}

output "workspace_arn" {
  description = "ARN of the Prometheus workspace."
  value       = aws_prometheus_workspace.this.arn
}

output "query_endpoint" {
  description = "Prometheus-compatible endpoint of the workspace (Grafana's data source: SigV4, service aps)."
  value       = aws_prometheus_workspace.this.prometheus_endpoint
}

output "scraper_id" {
  description = "ID of the managed scraper (aws amp describe-scraper --scraper-id <this>)."
  value       = aws_prometheus_scraper.this.id
}

output "scrape_configuration" {
  description = "The scraper's rendered Prometheus configuration (YAML)."
  value       = local.scrape_configuration
}

output "kms_key_arn" {
  description = "ARN of the key that encrypts the workspace."
  value       = module.key.arn
}

output "scraper_source" {
  description = "The scraper's source block as planned: the cluster and its subnets and security groups."
  value       = aws_prometheus_scraper.this.source
}
