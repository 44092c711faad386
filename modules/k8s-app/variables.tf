variable "name" {
  description = "App name: names the Deployment, Service, ServiceAccount, ConfigMap and PodDisruptionBudget."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,40}[a-z0-9]$", var.name))
    error_message = "name must be a DNS label of at most 42 characters."
  }
}

variable "namespace" {
  description = "Namespace to deploy into (must exist)."
  type        = string
}

variable "cluster_name" {
  description = "EKS cluster, for the Pod Identity association."
  type        = string
}

variable "iam_role_name_prefix" {
  description = "Prefix of the app's IAM role name, e.g. genai-dev (the role is <prefix>-<name>)."
  type        = string
}

variable "image" {
  description = "Container image with an immutable tag or digest, e.g. <account>.dkr.ecr.<region>.amazonaws.com/genai/dev/claude-chat:<git sha>."
  type        = string

  validation {
    condition     = !endswith(var.image, ":latest") && length(regexall(":[^/]+$|@sha256:", var.image)) > 0
    error_message = "image needs an explicit, immutable tag or digest (not :latest)."
  }
}

variable "port" {
  description = "Port the container listens on."
  type        = number
}

variable "health_path" {
  description = "HTTP path for the readiness and liveness probes."
  type        = string
  default     = "/healthz"
}

variable "env" {
  description = "Environment variables for the container, delivered through the app's ConfigMap. Never secrets: the app reads those from AWS with its role."
  type        = map(string)
  default     = {}
}

variable "replicas" {
  description = "Number of pods."
  type        = number
  default     = 2
}

variable "resources" {
  description = "CPU and memory requests and limits of the container."
  type = object({
    requests_cpu    = string
    requests_memory = string
    limits_cpu      = string
    limits_memory   = string
  })
  default = {
    requests_cpu    = "250m"
    requests_memory = "512Mi"
    limits_cpu      = "1"
    limits_memory   = "1Gi"
  }
}

variable "iam_policy_json" {
  description = "IAM policy (JSON) of the app's Pod Identity role: exactly what the app calls. null gives a role with no permissions."
  type        = string
  default     = null
}

variable "exposure" {
  description = "How the Service is reached: \"cluster\" (ClusterIP), \"internal\" (internal NLB) or \"internet\" (internet-facing NLB, requires allowed_cidrs)."
  type        = string
  default     = "cluster"

  validation {
    condition     = contains(["cluster", "internal", "internet"], var.exposure)
    error_message = "exposure must be cluster, internal or internet."
  }
}

variable "allowed_cidrs" {
  description = "Source CIDRs allowed through a load balancer (required for exposure = internet; 0.0.0.0/0 refused)."
  type        = list(string)
  default     = []

  validation {
    condition     = !contains(var.allowed_cidrs, "0.0.0.0/0")
    error_message = "0.0.0.0/0 is refused: list the CIDRs that need the app."
  }
}

variable "gpu" {
  description = "Schedule on the GPU node group: adds its toleration and node selector and requests one GPU."
  type        = bool
  default     = false
}

variable "node_selector" {
  description = "Extra node selector labels."
  type        = map(string)
  default     = {}
}

variable "tags" {
  description = "Tags added to the AWS resources (the IAM role and association)."
  type        = map(string)
  default     = {}
}
