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

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a Kubernetes namespace name (a DNS label of at most 63 characters)."
  }
}

variable "cluster_name" {
  description = "EKS cluster, for the Pod Identity association."
  type        = string

  validation {
    condition     = can(regex("^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$", var.cluster_name))
    error_message = "cluster_name must be an EKS cluster name: 1-100 letters, digits, - or _, starting with a letter or digit."
  }
}

variable "iam_role_name_prefix" {
  description = "Prefix of the app's IAM role name, e.g. genai-dev (the role is <prefix>-<name>, at most 64 characters)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]+$", var.iam_role_name_prefix)) && length("${var.iam_role_name_prefix}-${var.name}") <= 64
    error_message = "iam_role_name_prefix must be IAM name characters, and <prefix>-<name> at most 64 characters."
  }
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
  description = "Port the container listens on (1024-65535: the pods run as a non-root user)."
  type        = number

  validation {
    condition     = var.port >= 1024 && var.port <= 65535 && floor(var.port) == var.port
    error_message = "port must be 1024-65535: a non-root container cannot bind a lower port."
  }
}

variable "readiness_path" {
  description = "HTTP path of the readiness probe: answers 200 once the app can serve (a pod gets traffic only then)."
  type        = string
  default     = "/healthz"

  validation {
    condition     = startswith(var.readiness_path, "/")
    error_message = "readiness_path must start with /."
  }
}

variable "liveness_path" {
  description = "HTTP path of the liveness probe: answers 200 while the process is healthy (failing it restarts the container). null: the readiness path."
  type        = string
  default     = null

  validation {
    condition     = var.liveness_path == null || startswith(coalesce(var.liveness_path, "/"), "/")
    error_message = "liveness_path must start with /."
  }
}

variable "env" {
  description = "Environment variables for the container, delivered through the app's ConfigMap. Never secrets: the app reads AWS ones with its role; secret_env takes in-cluster credentials."
  type        = map(string)
  default     = {}

  # env_from skips keys that are not valid variable names without a word.
  validation {
    condition     = alltrue([for k in keys(var.env) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k))])
    error_message = "env keys must be environment variable names (letters, digits and _, not starting with a digit)."
  }
}

variable "secret_env" {
  description = "Environment variables read from Kubernetes Secrets in the namespace: variable name => { secret, key }. For credentials of in-cluster services (e.g. a database's API key), which have no AWS identity to read them with."
  type = map(object({
    secret = string
    key    = string
  }))
  default = {}

  validation {
    condition = alltrue([
      for name, ref in var.secret_env :
      can(regex("^[A-Za-z_][A-Za-z0-9_]*$", name)) && can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", ref.secret)) && can(regex("^[-._a-zA-Z0-9]{1,253}$", ref.key))
    ])
    error_message = "secret_env maps environment variable names to a Secret's name (a lower-case DNS subdomain) and one of its keys (letters, digits, -, _ and .)."
  }
  # A name in both would be set twice; which value wins is easy to get wrong.
  validation {
    condition     = length(setintersection(keys(var.secret_env), keys(var.env))) == 0
    error_message = "A variable is either in env or in secret_env, not both."
  }
}

variable "replicas" {
  description = "Number of pods."
  type        = number
  default     = 2
  nullable    = false

  validation {
    condition     = var.replicas >= 1 && floor(var.replicas) == var.replicas
    error_message = "replicas must be a whole number, at least 1."
  }
}

variable "resources" {
  description = "CPU and memory requests and limits of the container; a field left out keeps its default (250m, 512Mi, 1, 1Gi)."
  type = object({
    requests_cpu    = optional(string, "250m")
    requests_memory = optional(string, "512Mi")
    limits_cpu      = optional(string, "1")
    limits_memory   = optional(string, "1Gi")
  })
  default  = {}
  nullable = false
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
  nullable    = false

  validation {
    condition     = contains(["cluster", "internal", "internet"], var.exposure)
    error_message = "exposure must be cluster, internal or internet."
  }
}

variable "allowed_cidrs" {
  description = "Source CIDRs allowed through a load balancer (required for exposure = internet; 0.0.0.0/0 refused)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for c in var.allowed_cidrs : can(cidrnetmask(c)) && c != "0.0.0.0/0"])
    error_message = "allowed_cidrs takes IPv4 CIDRs; 0.0.0.0/0 is refused: list the CIDRs that need the app."
  }
  validation {
    condition     = var.exposure != "internet" || length(var.allowed_cidrs) > 0
    error_message = "exposure = internet requires allowed_cidrs."
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

variable "permissions_boundary" {
  description = "ARN of the permissions boundary the app's Pod Identity role carries (the platform's, published as /<project>/<environment>/platform/permissions-boundary-arn): the CI apply role creates no role without it. Every stack sets it; null only for a role no CI role manages."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary == null || can(regex("^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:policy/.+$", coalesce(var.permissions_boundary, "-")))
    error_message = "permissions_boundary must be the ARN of a customer managed policy."
  }
}

variable "tags" {
  description = "Tags added to the AWS resources (the IAM role and association)."
  type        = map(string)
  default     = {}
}
