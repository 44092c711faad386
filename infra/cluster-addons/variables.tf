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
