variable "name" {
  description = "Name of the knowledge base; also prefixes its collection (<name>-kb), role, key alias and bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,23}$", var.name))
    error_message = "name must be 3-24 lower-case letters, digits or dashes, starting with a letter (collection and policy names are limited to 32 characters)."
  }
}

variable "description" {
  description = "Description of the knowledge base."
  type        = string
  default     = "Documents retrieved by the platform's assistants"
}

variable "embedding_model_id" {
  description = "Bedrock embedding model (foundation model id) used for ingestion and queries."
  type        = string
  nullable    = false
  default     = "amazon.titan-embed-text-v2:0"
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
    condition     = var.chunking.overlap_percentage >= 1 && var.chunking.overlap_percentage <= 99 && var.chunking.max_tokens >= 20
    error_message = "chunking.overlap_percentage must be 1-99 and chunking.max_tokens at least 20."
  }
}

variable "standby_replicas" {
  description = "Run the collection with standby replicas in another AZ (production); off halves the minimum OCUs."
  type        = bool
  default     = true
}

variable "allow_public_access" {
  description = "Open the collection endpoint to the internet (still IAM-signed and data-policy checked). Off by default: Bedrock reaches it as a service, terraform through the VPC endpoint."
  type        = bool
  default     = false
}

variable "vpc_endpoint" {
  description = "Create an OpenSearch Serverless VPC endpoint in this VPC, so terraform runners and tools inside it can reach the collection: VPC, subnets and the CIDRs allowed to its HTTPS port."
  type = object({
    vpc_id        = string
    subnet_ids    = list(string)
    allowed_cidrs = list(string)
  })
  default = null
}

variable "source_vpc_endpoint_ids" {
  description = "Existing OpenSearch Serverless VPC endpoint ids also allowed to reach the collection."
  type        = list(string)
  default     = []
}

variable "index_admin_arns" {
  description = "IAM role ARNs that may manage the vector index besides the role running terraform (which is always included)."
  type        = list(string)
  default     = []
}

variable "index_reader_arns" {
  description = "IAM role ARNs that may only describe the collection and index, e.g. the CI plan role (a refresh reads the index)."
  type        = list(string)
  default     = []
}

variable "policy_propagation_wait" {
  description = "Wait between writing the collection's access policies and creating the index."
  type        = string
  default     = "60s"
}

variable "index_propagation_wait" {
  description = "Wait between creating the index (and the role's policy) and creating the knowledge base."
  type        = string
  default     = "30s"
}

variable "force_destroy" {
  description = "Let terraform destroy the documents bucket with its objects (dev)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
