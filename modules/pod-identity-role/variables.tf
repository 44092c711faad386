variable "role_name" {
  description = "Name of the IAM role."
  type        = string

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.role_name))
    error_message = "An IAM role name has 1 to 64 letters, digits and +=,.@_- characters."
  }
}

variable "cluster_name" {
  description = "EKS cluster whose Pod Identity agent hands out the role."
  type        = string
}

variable "namespace" {
  description = "Namespace of the service account."
  type        = string
}

variable "service_account" {
  description = "Service account whose pods get the role (it need not exist yet)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.service_account))
    error_message = "A service account name is a DNS label: lower-case letters, digits and dashes, at most 63."
  }
}

variable "policy_json" {
  description = "The role's inline policy; null for none. Known at plan time: the module attaches a policy only when it has one."
  type        = string
  default     = null
}

variable "permissions_boundary" {
  description = "ARN of the permissions boundary the role carries (the platform's, published as /<project>/<environment>/platform/permissions-boundary-arn): the CI apply role creates no role without it. Every stack sets it; null only for a role no CI role manages."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary == null || can(regex("^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:policy/.+$", coalesce(var.permissions_boundary, "-")))
    error_message = "permissions_boundary must be the ARN of a customer managed policy."
  }
}

variable "tags" {
  description = "Tags of the role and the association."
  type        = map(string)
  default     = {}
}
