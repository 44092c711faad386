variable "project" {
  description = "Project name; with the environment it prefixes every resource name (<project>-<environment>). The same in every stack."
  type        = string
  default     = "genai"

  # Bucket, role and collection names are built from it; 12 characters keep all of them within
  # their AWS limits.
  validation {
    condition     = can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.project)) && length(var.project) >= 2 && length(var.project) <= 12
    error_message = "project must be 2-12 lower-case letters and digits in dash-separated words, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name: dev, staging or prod."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "region" {
  description = "AWS Region of the environment."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS Region code such as us-east-1."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the environment's VPC."
  type        = string
  default     = "10.0.0.0/16"
}

variable "az_count" {
  description = "Availability zones used by the VPC and the cluster."
  type        = number
  default     = 3
}

variable "nat_gateways" {
  description = "\"single\" NAT gateway or one \"per_az\"."
  type        = string
  default     = "single"
}

variable "kubernetes_version" {
  description = "Kubernetes version of the EKS cluster."
  type        = string
  default     = "1.34"
}

variable "node_ami_release_version" {
  description = "EKS-optimized AMI release of the nodes (e.g. 1.34.2-20251112); null keeps each node group's current release. Set it to roll the nodes onto a newer one."
  type        = string
  default     = null
}

variable "endpoint_public_access" {
  description = "Open the Kubernetes API's public endpoint, to endpoint_public_access_cidrs only. Needed when the cluster-addons and workloads stacks (or kubectl) run from outside the VPC and its connected networks, e.g. an operator's laptop."
  type        = bool
  default     = false
}

variable "endpoint_public_access_cidrs" {
  description = "Public egress CIDRs of the operators and runners allowed to the public endpoint (e.g. [\"203.0.113.10/32\"])."
  type        = list(string)
  default     = []
}

variable "endpoint_private_access_cidrs" {
  description = "CIDRs inside the VPC or connected to it (VPN, peered or transit networks, self-hosted runners) allowed to the private endpoint."
  type        = list(string)
  default     = []
}

variable "cluster_admin_arns" {
  description = "IAM roles with cluster-admin besides the CI apply role (added automatically). Must include the role that runs the first apply, e.g. the operators' SSO administrator role."
  type        = list(string)

  validation {
    condition     = alltrue([for arn in var.cluster_admin_arns : can(regex("^arn:aws:iam::[0-9]{12}:role/", arn))])
    error_message = "cluster_admin_arns takes IAM role ARNs (for SSO, the role ARN without the session part)."
  }
}

variable "deletion_protection" {
  description = "Protect the EKS cluster from deletion."
  type        = bool
  default     = false
}

variable "system_node_group" {
  description = "System node group: instance types, ON_DEMAND or SPOT, sizes."
  type = object({
    instance_types = list(string)
    capacity_type  = string
    min_size       = number
    max_size       = number
    desired_size   = number
  })
}

variable "cpu_node_group" {
  description = "Spot CPU node group sizes and instance types."
  type = object({
    instance_types = list(string)
    min_size       = number
    max_size       = number
    desired_size   = number
  })
}

variable "gpu_node_group" {
  description = "Spot GPU node group sizes and instance types (g6.2xlarge by default)."
  type = object({
    instance_types = list(string)
    min_size       = number
    max_size       = number
    desired_size   = number
  })
}

variable "apps" {
  description = "Apps that get an ECR repository (<project>/<environment>/<app>)."
  type        = set(string)
  default     = ["claude-chat", "kb-assistant", "agent-assistant", "shop-rag", "myretail-chat", "finetune", "review-dashboard"]
}

variable "ecr_force_delete" {
  description = "Let destroy remove ECR repositories that still hold images."
  type        = bool
  default     = false
}

variable "model_assets_force_destroy" {
  description = "Let destroy remove the model-assets bucket with its objects (data sets, adapters, notebooks' files, snapshots)."
  type        = bool
  default     = false
}

variable "github_repository" {
  description = "GitHub repository (owner/name) whose workflows plan and apply this environment."
  type        = string
}
