variable "name" {
  description = "Name of the role and of its inline policy, e.g. genai-dev-code-generation-signer."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.name))
    error_message = "name must be an IAM role name: 1-64 letters, digits and +=,.@_-."
  }
}

variable "description" {
  description = "What the role signs links to, shown in IAM."
  type        = string
}

variable "function_role_arn" {
  description = "ARN of the function's execution role: the only principal that may assume this role."
  type        = string
}

variable "objects_arn" {
  description = "S3 object ARN pattern the links point at, e.g. arn:aws:s3:::bucket/prefix/*: the role reads these only."
  type        = string

  validation {
    condition     = startswith(var.objects_arn, "arn:aws:s3:::") && strcontains(var.objects_arn, "/")
    error_message = "objects_arn must be an S3 object ARN pattern (arn:aws:s3:::<bucket>/<key pattern>)."
  }
}

variable "kms_key_arn" {
  description = "ARN of the bucket's KMS key, used through S3 only."
  type        = string
}

variable "region" {
  description = "Region of the bucket (the kms:ViaService condition names S3 there)."
  type        = string
}

variable "permissions_boundary" {
  description = "ARN of the platform's permissions boundary, carried by the role (null: none)."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags of the role."
  type        = map(string)
  default     = {}
}
