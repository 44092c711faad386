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
  default     = "0.17.1"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.nvidia_device_plugin_chart_version))
    error_message = "nvidia_device_plugin_chart_version must be an exact chart version such as 1.2.3: charts are pinned."
  }
}
