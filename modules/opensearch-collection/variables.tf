variable "name" {
  description = "Name of the collection; also prefixes its policies (<name>-enc, -net, -data), VPC endpoint (<name>-vpce) and index manager (<name>-index)."
  type        = string

  # OpenSearch Serverless: collection names 3-32 characters, policy and endpoint names 32.
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*[a-z0-9]$", var.name)) && length(var.name) >= 3 && length(var.name) <= 27
    error_message = "name must be 3-27 lower-case letters, digits and dashes, starting with a letter (its policy and endpoint names take 32 characters)."
  }
}

variable "description" {
  description = "Description of the collection."
  type        = string
}

variable "type" {
  description = "Collection type: SEARCH (documents with ids of the caller's choosing), VECTORSEARCH (vector indexes) or TIMESERIES."
  type        = string

  validation {
    condition     = contains(["SEARCH", "VECTORSEARCH", "TIMESERIES"], var.type)
    error_message = "type must be SEARCH, VECTORSEARCH or TIMESERIES."
  }
}

variable "standby_replicas" {
  description = "Run with standby replicas in another Availability Zone (production); off halves the minimum OCUs."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key of the collection, and of the index manager's environment and logs."
  type        = string
}

variable "vpc_endpoint" {
  description = "Where the collection's VPC endpoint and the index manager live: the VPC and its private subnets (1 to 6)."
  type = object({
    vpc_id     = string
    subnet_ids = list(string)
  })
}

variable "allowed_security_groups" {
  description = "Security groups allowed to the endpoint's HTTPS port, by a label for the rule's description (e.g. { \"the Flink application\" = sg-... })."
  type        = map(string)
  default     = {}
}

variable "allowed_cidrs" {
  description = "CIDRs allowed to the endpoint's HTTPS port (e.g. the VPC's range, for pods)."
  type        = list(string)
  default     = []
}

variable "allow_public_access" {
  description = "Open the collection endpoint to the internet (still IAM-signed and checked by the data access policy)."
  type        = bool
  default     = false
}

variable "source_services" {
  description = "AWS services that reach the private collection as a service (e.g. bedrock.amazonaws.com)."
  type        = list(string)
  default     = []
}

variable "source_vpc_endpoint_ids" {
  description = "Other OpenSearch Serverless VPC endpoints allowed to reach the private collection."
  type        = list(string)
  default     = []
}

variable "access" {
  description = "The data access policy's grants besides the index manager's: who (role ARNs, which may not exist yet), with which collection and index permissions, on which indexes (\"*\" for all)."
  type = list(object({
    description            = string
    principals             = list(string)
    collection_permissions = optional(list(string), [])
    index_permissions      = list(string)
    indexes                = optional(list(string), ["*"])
  }))
}

variable "indexes" {
  description = "Indexes the index manager creates: name => body (settings and mappings, as the create-index API takes them)."
  type        = any
}

variable "index_manager_package" {
  description = "Path of the index manager's zip (dist/vector_index.zip, built by scripts/package-lambda)."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the index manager's logs, in days (a value CloudWatch Logs accepts)."
  type        = number
  default     = 365
}

variable "permissions_boundary" {
  description = "ARN of the permissions boundary the index manager function's role carries (the platform's, published as /<project>/<environment>/platform/permissions-boundary-arn): the CI apply role creates no role without it."
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
