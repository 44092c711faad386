variable "name" {
  description = "Name of the knowledge base; also prefixes its collection (<name>-kb), role, key alias and bucket."
  type        = string

  # Derived names: the collection's policies <name>-kb-data and endpoint <name>-kb-vpce
  # (OpenSearch Serverless: 32 characters), the knowledge base itself (Bedrock: letters and
  # digits, single - or _ between them).
  validation {
    condition     = can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.name)) && length(var.name) >= 3 && length(var.name) <= 24
    error_message = "name must be 3-24 lower-case letters and digits in dash-separated words (no double or trailing dash): collection policy and endpoint names derived from it are limited to 32 characters."
  }
}

variable "description" {
  description = "Description of the knowledge base and its collection (1-200 characters)."
  type        = string
  default     = "Documents retrieved by the platform's assistants"

  validation {
    condition     = length(var.description) >= 1 && length(var.description) <= 200
    error_message = "description must be 1-200 characters."
  }
}

variable "embedding_model_id" {
  description = "Bedrock embedding model (foundation model id) used for ingestion and queries."
  type        = string
  nullable    = false
  default     = "amazon.titan-embed-text-v2:0"

  validation {
    condition     = can(regex("^[a-z0-9-]+\\.[a-zA-Z0-9.:-]{1,63}$", var.embedding_model_id))
    error_message = "embedding_model_id must be a Bedrock foundation model id such as amazon.titan-embed-text-v2:0."
  }
}

variable "embedding_dimensions" {
  description = "Dimension of the embeddings; the vector index is created with it (Titan Text Embeddings v2: 256, 512 or 1024)."
  type        = number
  nullable    = false
  default     = 1024

  validation {
    condition     = contains([256, 512, 1024], var.embedding_dimensions)
    error_message = "Titan Text Embeddings v2 produces 256, 512 or 1024 dimensions."
  }
}

variable "index_name" {
  description = "Name of the vector index in the collection."
  type        = string
  default     = "bedrock-knowledge-base-index"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._-]{0,254}$", var.index_name))
    error_message = "index_name must be an OpenSearch index name: 1-255 lower-case letters, digits, '.', '_' or '-', not starting with a symbol."
  }
}

variable "documents_prefix" {
  description = "Key prefix of the documents bucket that the data source ingests."
  type        = string
  default     = "documents/"

  validation {
    condition     = can(regex("^[A-Za-z0-9!_.*'()-][A-Za-z0-9!_.*'()/-]*/$", var.documents_prefix))
    error_message = "documents_prefix must be a non-empty S3 key prefix ending in \"/\"."
  }
}

variable "chunking" {
  description = "How ingestion splits documents: FIXED_SIZE (max_tokens, overlap_percentage) or NONE (one chunk per file)."
  type = object({
    strategy           = optional(string, "FIXED_SIZE")
    max_tokens         = optional(number, 300)
    overlap_percentage = optional(number, 20)
  })
  nullable = false
  default  = {}

  validation {
    condition     = contains(["FIXED_SIZE", "NONE"], var.chunking.strategy)
    error_message = "chunking.strategy must be FIXED_SIZE or NONE."
  }
  validation {
    condition     = var.chunking.overlap_percentage >= 1 && var.chunking.overlap_percentage <= 99 && var.chunking.max_tokens >= 1 && var.chunking.max_tokens <= 8192
    error_message = "chunking.overlap_percentage must be 1-99 and chunking.max_tokens 1-8192."
  }
}

variable "standby_replicas" {
  description = "Run the collection with standby replicas in another AZ (production); off halves the minimum OCUs."
  type        = bool
  default     = true
}

variable "allow_public_access" {
  description = "Open the collection endpoint to the internet (still IAM-signed and data-policy checked). Off by default: Bedrock reaches it as a service, the index manager through the VPC endpoint."
  type        = bool
  default     = false
}

variable "vpc_endpoint" {
  description = "Where the collection's VPC endpoint and the index manager Lambda live: the VPC, its private subnets, and any CIDRs besides the Lambda allowed to the endpoint's HTTPS port (tools inside the VPC)."
  type = object({
    vpc_id        = string
    subnet_ids    = list(string)
    allowed_cidrs = optional(list(string), [])
  })

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_endpoint.vpc_id)) && length(var.vpc_endpoint.subnet_ids) >= 1 && length(var.vpc_endpoint.subnet_ids) <= 6
    error_message = "vpc_endpoint needs a VPC id (vpc-...) and 1 to 6 subnets."
  }
  validation {
    condition     = alltrue([for c in var.vpc_endpoint.allowed_cidrs : can(cidrnetmask(c)) && c != "0.0.0.0/0"])
    error_message = "vpc_endpoint.allowed_cidrs takes IPv4 CIDRs other than 0.0.0.0/0."
  }
}

variable "source_vpc_endpoint_ids" {
  description = "Existing OpenSearch Serverless VPC endpoint ids also allowed to reach the collection."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.source_vpc_endpoint_ids : can(regex("^vpce-[0-9a-z]+$", id))])
    error_message = "source_vpc_endpoint_ids takes VPC endpoint ids (vpce-...)."
  }
}

variable "index_manager_package" {
  description = "Path of the index manager Lambda's zip (dist/vector_index.zip, built by scripts/package-lambda)."
  type        = string
}

variable "role_propagation_wait" {
  description = "Wait between writing the knowledge base role's policy and creating the knowledge base (IAM is eventually consistent)."
  type        = string
  default     = "30s"

  validation {
    condition     = can(regex("^[0-9]+[smh]$", var.role_propagation_wait))
    error_message = "role_propagation_wait must be a duration such as 30s or 2m."
  }
}

variable "log_retention_days" {
  description = "Retention of the index manager's logs in CloudWatch Logs, in days (a value CloudWatch Logs accepts)."
  type        = number
  default     = 365
}

variable "force_destroy" {
  description = "Let terraform destroy the documents bucket with its objects (dev)."
  type        = bool
  default     = false
}

variable "permissions_boundary" {
  description = "ARN of the permissions boundary its roles (the knowledge base's and the index manager's) carries (the platform's, published as /<project>/<environment>/platform/permissions-boundary-arn): the CI apply role creates no role without it."
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
