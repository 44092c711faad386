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
  description = "Environment name: a folder environments/<environment> whose environment.yaml states its tier and Region (README, Environments and tiers)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,6}$", var.environment)) && fileexists("${path.module}/../../environments/${var.environment}/environment.yaml")
    error_message = "environment must name a folder of environments/ that holds an environment.yaml (README, Adding an environment)."
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
  description = "Kubernetes <major>.<minor> of the EKS cluster; null takes modules/eks-cluster's, a version in EKS standard support. Set it with eks_addon_versions of that version to upgrade one environment ahead of the others."
  type        = string
  default     = null
}

variable "eks_addon_versions" {
  description = "Exact versions of the EKS add-ons (vpc-cni, coredns, kube-proxy, eks-pod-identity-agent, aws-ebs-csi-driver) for kubernetes_version; null takes modules/eks-cluster's, which match its default Kubernetes version."
  type        = map(string)
  default     = null
}

variable "node_ami_release_version" {
  description = "EKS-optimized AMI release of the nodes (e.g. 1.36.2-20261015); null keeps each node group's current release. Set it to roll the nodes onto a newer one."
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
  description = "Protect the EKS cluster from deletion; null follows the tier (on in production)."
  type        = bool
  default     = null
}

variable "system_node_group" {
  description = "System node group (the load balancer controller and Karpenter run there): instance types, sizes, and ON_DEMAND (left out) or SPOT."
  type = object({
    instance_types = list(string)
    capacity_type  = optional(string)
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

variable "ecr_force_delete" {
  description = "Let destroy remove ECR repositories that still hold images; null follows the tier (only in development)."
  type        = bool
  default     = null
}

variable "model_assets_force_destroy" {
  description = "Let destroy remove the model-assets bucket with its objects (data sets, adapters, notebooks' files, snapshots); null follows the tier (only in development)."
  type        = bool
  default     = null
}

variable "github_repository" {
  description = "GitHub repository (owner/name) whose workflows plan and apply this environment."
  type        = string
}

variable "gpu_instance_types" {
  description = "GPU instance types Karpenter may launch (several families and sizes, so spot finds capacity); the notebook zone is the VPC zone where this account is offered the most of them."
  type        = list(string)
  default     = ["g6.xlarge", "g6.2xlarge", "g6.4xlarge", "g6e.xlarge", "g6e.2xlarge", "g5.xlarge", "g5.2xlarge", "g5.4xlarge"]

  validation {
    condition     = length(var.gpu_instance_types) > 0 && alltrue([for t in var.gpu_instance_types : can(regex("^(g[4-9][a-z]*|p[3-6][a-z]*)\\.[0-9]*x?large$", t))])
    error_message = "gpu_instance_types takes NVIDIA GPU instance types (g* or p* families), e.g. g6.2xlarge."
  }
}
