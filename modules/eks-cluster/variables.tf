variable "name" {
  description = "Name of the EKS cluster, e.g. genai-dev."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,37}$", var.name))
    error_message = "name must be 2-38 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes <major>.<minor> version of the control plane and node groups."
  type        = string
  default     = "1.34"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must look like 1.34."
  }
}

variable "vpc_id" {
  description = "VPC the cluster runs in."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the control plane ENIs and the nodes (at least two AZs)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids needs subnets in at least two availability zones."
  }
}

variable "endpoint_public_access" {
  description = "Whether the Kubernetes API is reachable from the internet (then only from endpoint_public_access_cidrs). The private endpoint is always on."
  type        = bool
  default     = false
}

variable "endpoint_public_access_cidrs" {
  description = "CIDRs allowed to reach the public Kubernetes API endpoint when it is enabled."
  type        = list(string)
  default     = []

  validation {
    condition     = !contains(var.endpoint_public_access_cidrs, "0.0.0.0/0")
    error_message = "Opening the Kubernetes API to 0.0.0.0/0 is refused; list the CIDRs that need it."
  }
}

variable "cluster_admin_arns" {
  description = "IAM roles granted cluster-admin through EKS access entries: the CI apply role, and the role that runs the first apply (it must reach the cluster to install the in-cluster add-ons)."
  type        = list(string)
  default     = []
}

variable "cluster_viewer_arns" {
  description = "IAM principals granted read-only access (AmazonEKSAdminViewPolicy) through access entries, e.g. the CI plan role."
  type        = list(string)
  default     = []
}

variable "deletion_protection" {
  description = "Refuse to delete the cluster until this is turned off."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Retention of the control-plane logs in CloudWatch Logs, in days."
  type        = number
  default     = 90
}

variable "system_node_group" {
  description = "Node group for cluster add-ons and controllers. capacity_type ON_DEMAND or SPOT."
  type = object({
    instance_types = list(string)
    capacity_type  = string
    min_size       = number
    max_size       = number
    desired_size   = number
    disk_size_gib  = optional(number, 50)
  })
  default = {
    instance_types = ["m6i.large", "m5.large"]
    capacity_type  = "ON_DEMAND"
    min_size       = 2
    max_size       = 3
    desired_size   = 2
  }

  validation {
    condition     = contains(["ON_DEMAND", "SPOT"], var.system_node_group.capacity_type)
    error_message = "system_node_group.capacity_type must be ON_DEMAND or SPOT."
  }
}

variable "cpu_node_group" {
  description = "Spot node group for CPU workloads (the apps). Several instance types keep spot capacity available."
  type = object({
    instance_types = list(string)
    min_size       = number
    max_size       = number
    desired_size   = number
    disk_size_gib  = optional(number, 50)
  })
  default = {
    instance_types = ["m6i.xlarge", "m6a.xlarge", "m5.xlarge", "m5a.xlarge"]
    min_size       = 1
    max_size       = 5
    desired_size   = 1
  }
}

variable "gpu_node_group" {
  description = "Spot GPU node group (AL2023 NVIDIA AMI), tainted nvidia.com/gpu=true:NoSchedule. min_size 0 lets it scale to zero when an autoscaler runs."
  type = object({
    instance_types = list(string)
    min_size       = number
    max_size       = number
    desired_size   = number
    disk_size_gib  = optional(number, 200)
  })
  default = {
    instance_types = ["g6.2xlarge"]
    min_size       = 0
    max_size       = 2
    desired_size   = 0
  }
}

variable "load_balancer_controller_chart_version" {
  description = "Version of the aws-load-balancer-controller Helm chart (https://aws.github.io/eks-charts)."
  type        = string
  default     = "1.13.4"
}

variable "nvidia_device_plugin_chart_version" {
  description = "Version of the nvidia-device-plugin Helm chart (https://nvidia.github.io/k8s-device-plugin)."
  type        = string
  default     = "0.17.1"
}

variable "tags" {
  description = "Tags added to every AWS resource."
  type        = map(string)
  default     = {}
}
