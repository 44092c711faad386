variable "name" {
  description = "Prefix of the key alias, bucket, log group and role (<project>-<environment>)."
  type        = string

  # The bucket adds -model-invocations-<account id> (31 characters) within S3's 63.
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lower-case letters, digits and dashes, starting with a letter."
  }
}

variable "log_text" {
  description = "Deliver the prompts and answers (text) with each record; off: metadata only (model, tokens, latency, identity, inference profile)."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Retention of the log group, in days (a value CloudWatch Logs accepts); the bucket keeps its copy under its own lifecycle."
  type        = number

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of CloudWatch Logs' retention periods: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]."
  }
}

variable "permissions_boundary" {
  description = "ARN of the permissions boundary the delivery role carries (the platform's, published as /<project>/<environment>/platform/permissions-boundary-arn): the CI apply role creates no role without it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:policy/.+$", var.permissions_boundary))
    error_message = "permissions_boundary must be the ARN of a managed policy."
  }
}

variable "force_destroy" {
  description = "Let a destroy delete the log bucket with its objects (development)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
