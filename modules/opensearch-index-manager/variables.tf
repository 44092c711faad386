variable "name" {
  description = "Name of the function and prefix of its security group, e.g. genai-dev-kb-index."
  type        = string
}

variable "description" {
  description = "Description of the function."
  type        = string
}

variable "collection_arn" {
  description = "ARN of the OpenSearch Serverless collection (for IAM)."
  type        = string
}

variable "collection_endpoint" {
  description = "HTTPS endpoint of the collection, reached through its VPC endpoint."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the collection's VPC endpoint."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets the function runs in."
  type        = list(string)
}

variable "vpc_endpoint_security_group_id" {
  description = "Security group of the collection's VPC endpoint: the function's only egress. The caller lets this module's security_group_id in on 443."
  type        = string
}

variable "indexes" {
  description = "Indexes to create: name => body (settings and mappings, as the OpenSearch create-index API takes them)."
  type        = any
}

variable "package_path" {
  description = "Path of the function's zip (dist/vector_index.zip, built by scripts/package-lambda)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for the function's environment and logs."
  type        = string
}

variable "ready_after" {
  description = "Ids of what must exist before the indexes are created: the data access policy, the network policy, the VPC endpoint and its ingress rule from this function."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "Retention of the function's logs, in days (a value CloudWatch Logs accepts)."
  type        = number
  default     = 365
}

variable "permissions_boundary" {
  description = "ARN of the permissions boundary the function's role carries (the platform's, published as /<project>/<environment>/platform/permissions-boundary-arn): the CI apply role creates no role without it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:policy/.+$", var.permissions_boundary))
    error_message = "permissions_boundary must be the ARN of a customer managed policy."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
