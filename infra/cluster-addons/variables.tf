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

variable "load_balancer_controller_chart_version" {
  description = "Version of the aws-load-balancer-controller Helm chart; null keeps the module's pin."
  type        = string
  default     = null
}

variable "nvidia_device_plugin_chart_version" {
  description = "Version of the nvidia-device-plugin Helm chart; null keeps the module's pin."
  type        = string
  default     = null
}

variable "dcgm_exporter_chart_version" {
  description = "Version of the dcgm-exporter Helm chart (GPU metrics); null keeps the module's pin."
  type        = string
  default     = null
}

variable "karpenter_chart_version" {
  description = "Version of the Karpenter Helm charts (karpenter and karpenter-crd); null keeps the module's pin."
  type        = string
  default     = null
}

variable "karpenter_node_ami_alias" {
  description = "AMI alias of Karpenter's nodes (al2023@v<date> or bottlerocket@v<version>; the NVIDIA variant is picked for GPU types); null keeps the module's pin. A new value rolls the nodes."
  type        = string
  default     = null
}

variable "gpu_limit" {
  description = "Cost guard: most GPUs Karpenter runs at once in this environment (GPU notebooks, fine-tuning Jobs and the model server together); 0 turns GPU capacity off."
  type        = number

  validation {
    condition     = var.gpu_limit >= 0 && var.gpu_limit == floor(var.gpu_limit)
    error_message = "gpu_limit must be a whole number of GPUs, 0 or more."
  }
}

variable "cpu_limit" {
  description = "Cost guard: most vCPUs of Karpenter's CPU nodes (CPU notebooks and Jobs) at once in this environment."
  type        = number

  validation {
    condition     = var.cpu_limit > 0
    error_message = "cpu_limit must be a positive number of vCPUs."
  }
}
