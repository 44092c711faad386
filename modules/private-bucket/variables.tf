variable "name" {
  description = "Bucket name (globally unique)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name)) && !strcontains(var.name, "..") && !can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$", var.name)) && !startswith(var.name, "xn--") && !startswith(var.name, "sthree-") && !endswith(var.name, "-s3alias") && !endswith(var.name, "--ol-s3")
    error_message = "name must be a valid S3 bucket name: 3-63 lower-case letters, digits, dots or dashes, not like an IP address, without .. and without the reserved prefixes and suffixes."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts every object (SSE-KMS with a bucket key)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]{36}$", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a KMS key (the bucket policy refuses writes under any other)."
  }
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

  validation {
    condition     = var.noncurrent_version_days >= 1 && floor(var.noncurrent_version_days) == var.noncurrent_version_days
    error_message = "noncurrent_version_days must be a whole number of days, at least 1."
  }
}

variable "policy_documents" {
  description = "Extra bucket-policy statements (JSON policy documents), e.g. a service principal's writes under a prefix; the module's denials still apply to them."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags added to the bucket."
  type        = map(string)
  default     = {}
}
