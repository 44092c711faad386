variable "name" {
  description = "Bucket name (globally unique)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name))
    error_message = "name must be a valid S3 bucket name: 3-63 lower-case letters, digits, dots or dashes."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts every object (SSE-KMS with a bucket key)."
  type        = string
}

variable "force_destroy" {
  description = "Let terraform destroy the bucket with its objects (dev); otherwise a non-empty bucket blocks the destroy."
  type        = bool
  default     = false
}

variable "noncurrent_version_days" {
  description = "Days an overwritten or deleted object version is kept before it expires."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to the bucket."
  type        = map(string)
  default     = {}
}
