variable "cluster_name" {
  description = "Name of the EKS cluster the add-ons are installed in."
  type        = string

  validation {
    condition     = can(regex("^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$", var.cluster_name))
    error_message = "cluster_name must be an EKS cluster name: 1-100 letters, digits, - or _, starting with a letter or digit."
  }
}

variable "vpc_id" {
  description = "VPC of the cluster; the load balancer controller places load balancers in it."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC id (vpc-...)."
  }
}

variable "system_node_selector" {
  description = "Node selector of the system node group, where the load balancer controller runs."
  type        = map(string)
  default     = { "genai.platform/node-pool" = "system" }
}

variable "gpu_node_selector" {
  description = "Node selector of the GPU node group, where the NVIDIA device plugin runs."
  type        = map(string)
  default     = { "nvidia.com/gpu.present" = "true" }
}

variable "gpu_toleration" {
  description = "Toleration of the GPU node group's taint, in Kubernetes' spelling."
  type = object({
    key      = string
    operator = string
    value    = optional(string)
    effect   = string
  })
  default = { key = "nvidia.com/gpu", operator = "Equal", value = "true", effect = "NoSchedule" }

  validation {
    condition     = contains(["NoSchedule", "PreferNoSchedule", "NoExecute"], var.gpu_toleration.effect) && contains(["Equal", "Exists"], var.gpu_toleration.operator)
    error_message = "gpu_toleration needs effect NoSchedule, PreferNoSchedule or NoExecute and operator Equal or Exists."
  }
}

variable "load_balancer_controller_service_account" {
  description = "Service account of the load balancer controller; the platform stack's Pod Identity association names it."
  type        = string
  default     = "aws-load-balancer-controller"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", var.load_balancer_controller_service_account))
    error_message = "load_balancer_controller_service_account must be a Kubernetes object name (lower-case DNS subdomain)."
  }
}

variable "load_balancer_controller_chart_version" {
  description = "Version of the aws-load-balancer-controller Helm chart (https://aws.github.io/eks-charts)."
  type        = string
  nullable    = false
  default     = "1.13.4"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.load_balancer_controller_chart_version))
    error_message = "load_balancer_controller_chart_version must be an exact chart version such as 1.2.3: charts are pinned."
  }
}

variable "nvidia_device_plugin_chart_version" {
  description = "Version of the nvidia-device-plugin Helm chart (https://nvidia.github.io/k8s-device-plugin)."
  type        = string
  nullable    = false
  default     = "0.19.0"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.nvidia_device_plugin_chart_version))
    error_message = "nvidia_device_plugin_chart_version must be an exact chart version such as 1.2.3: charts are pinned."
  }
}

variable "dcgm_exporter_chart_version" {
  description = "Version of the dcgm-exporter Helm chart (https://nvidia.github.io/dcgm-exporter/helm-charts)."
  type        = string
  nullable    = false
  default     = "4.2.3"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.dcgm_exporter_chart_version))
    error_message = "dcgm_exporter_chart_version must be an exact chart version such as 1.2.3: charts are pinned."
  }
}

variable "cluster_endpoint" {
  description = "HTTPS endpoint of the cluster's Kubernetes API (Karpenter's nodes join through it)."
  type        = string

  validation {
    condition     = startswith(var.cluster_endpoint, "https://")
    error_message = "cluster_endpoint must be the cluster's https:// API endpoint."
  }
}

variable "karpenter" {
  description = "Karpenter: its chart version, what the platform stack made for it (interruption queue, nodes' instance profile, service account of its Pod Identity association), where nodes go (subnets, security groups, GPU types and the zones offering them), the nodes' AMI alias, root volume, and the per-environment cost guards (most GPUs and vCPUs Karpenter may run at once)."
  type = object({
    chart_version       = optional(string, "1.12.1")
    queue_name          = string
    instance_profile    = string
    service_account     = optional(string, "karpenter")
    subnet_ids          = list(string)
    security_group_ids  = list(string)
    gpu_instance_types  = list(string)
    gpu_zones           = list(string)
    node_ami_alias      = optional(string, "al2023@v20260903")
    gpu_root_volume_gib = optional(number, 200)
    gpu_limit           = number
    cpu_limit           = number
  })

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.karpenter.chart_version))
    error_message = "karpenter.chart_version must be an exact chart version such as 1.2.3: charts are pinned."
  }
  # A dated alias: "latest" would replace every node (drift) whenever AWS publishes an AMI.
  validation {
    condition     = can(regex("^(al2023|bottlerocket)@v[0-9.]+$", var.karpenter.node_ami_alias))
    error_message = "karpenter.node_ami_alias must pin an AL2023 or Bottlerocket release, e.g. al2023@v20260903 (their NVIDIA variants are chosen for GPU types)."
  }
  validation {
    condition     = var.karpenter.gpu_limit >= 0 && var.karpenter.gpu_limit == floor(var.karpenter.gpu_limit) && var.karpenter.cpu_limit > 0
    error_message = "karpenter.gpu_limit must be a whole number of GPUs (0 turns GPU capacity off) and cpu_limit a positive number of vCPUs."
  }
  validation {
    condition     = length(var.karpenter.subnet_ids) > 0 && length(var.karpenter.security_group_ids) > 0 && length(var.karpenter.gpu_zones) > 0 && length(var.karpenter.gpu_instance_types) > 0
    error_message = "karpenter needs at least one subnet, security group, GPU zone and GPU instance type."
  }
}
