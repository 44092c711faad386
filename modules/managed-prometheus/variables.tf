variable "name" {
  description = "Name prefix (<project>-<environment>) of the workspace, key alias, roles and scraper alias."
  type        = string

  # Role names "<name>-prometheus-scraper" stay within IAM's 64 characters; aliases allow 100.
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lower-case letters, digits and dashes, starting with a letter."
  }
}

variable "cluster_name" {
  description = "Name of the EKS cluster, added as the label cluster to every series."
  type        = string
}

variable "cluster_arn" {
  description = "ARN of the EKS cluster the scraper collects from (its authentication mode must allow access entries)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:eks:[a-z0-9-]+:[0-9]{12}:cluster/", var.cluster_arn))
    error_message = "cluster_arn takes an EKS cluster ARN."
  }
}

variable "subnet_ids" {
  description = "Subnets of the cluster's VPC where the scraper places its network interfaces (at least two zones)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && length(var.subnet_ids) <= 5
    error_message = "subnet_ids takes 2 to 5 subnets in at least two availability zones."
  }
}

variable "security_group_ids" {
  description = "Security groups of the scraper's network interfaces: they must reach the API server on 443 and the pods on their metrics ports."
  type        = list(string)

  validation {
    condition     = length(var.security_group_ids) >= 1 && length(var.security_group_ids) <= 5
    error_message = "security_group_ids takes 1 to 5 security groups."
  }
}

variable "scrape_interval" {
  description = "How often the scraper collects, a Prometheus duration of at least 30s (the managed scraper's minimum)."
  type        = string
  default     = "30s"

  validation {
    condition     = can(regex("^([3-5][0-9]s|[1-9][0-9]*m)$", var.scrape_interval))
    error_message = "scrape_interval takes 30s-59s or whole minutes (e.g. 1m): the managed scraper refuses less than 30 seconds."
  }
}

variable "permissions_boundary" {
  description = "ARN of the permissions boundary every role created here carries."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
