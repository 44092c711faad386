variable "project" {
  description = "Project name; with the environment it prefixes every resource name (<project>-<environment>). The same in every stack."
  type        = string
  default     = "genai"

  # Bucket, role and collection names are built from it; 12 characters keep all of them within
  # their AWS limits.
  validation {
    condition     = can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.project)) && length(var.project) >= 2 && length(var.project) <= 12
    error_message = "project must be 2-12 lower-case letters and digits in dash-separated words, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name: dev, staging or prod."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "region" {
  description = "AWS Region of the environment."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS Region code such as us-east-1."
  }
}

variable "embedding_model_id" {
  description = "Embedding model of the knowledge base; null keeps the module's (Titan Text Embeddings v2)."
  type        = string
  default     = null
}

variable "embedding_dimensions" {
  description = "Embedding dimension of the knowledge base (256, 512 or 1024; null keeps the module's 1024); changing it rebuilds the index and needs a new sync."
  type        = number
  default     = null
}

variable "chunking" {
  description = "Chunking of the data source: strategy FIXED_SIZE or NONE, max_tokens, overlap_percentage; what is left out keeps the module's default (FIXED_SIZE, 300, 20)."
  type = object({
    strategy           = optional(string)
    max_tokens         = optional(number)
    overlap_percentage = optional(number)
  })
  default = {}
}

variable "collection_standby_replicas" {
  description = "Standby replicas for the vector collection (prod); off in dev halves its minimum capacity."
  type        = bool
  default     = true
}

variable "collection_public_access" {
  description = "Open the vector collection's endpoint to the internet (still IAM-signed and limited by its data access policy). Off: Bedrock reaches it as a service, the index manager through its VPC endpoint."
  type        = bool
  default     = false
}

variable "collection_allowed_cidrs" {
  description = "CIDRs inside the VPC, besides the index manager, allowed to the collection's VPC endpoint (e.g. an operator's bastion)."
  type        = list(string)
  default     = []
}

variable "lambda_packages_dir" {
  description = "Folder of the Lambda zips built by scripts/package-lambda; null is dist/ of this repository."
  type        = string
  default     = null
}

variable "case_sheets_reserved_concurrency" {
  description = "Concurrent executions reserved for the case-sheet Lambda; null reserves none (required in accounts whose Lambda concurrency quota is still the new-account default)."
  type        = number
  default     = null
}

variable "force_destroy" {
  description = "Let a destroy delete the documents bucket with its objects (dev)."
  type        = bool
  default     = false
}

variable "guardrail_denied_topics" {
  description = "Topics every assistant refuses: name => definition and examples. null keeps the module's default (investment advice)."
  type = map(object({
    definition = string
    examples   = optional(list(string), [])
  }))
  default = null
}

variable "guardrail_pii_entities" {
  description = "PII handling of the guardrail: entity type => BLOCK or ANONYMIZE. null keeps the module's default (keys and card numbers blocked, e-mail and phone anonymized)."
  type        = map(string)
  default     = null
}

variable "agent_model" {
  description = "Model of the case-sheet agent: the inference profile it runs on and the foundation model behind it."
  type = object({
    model_id            = string
    foundation_model_id = string
  })
  default = {
    model_id            = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
    foundation_model_id = "anthropic.claude-haiku-4-5-20251001-v1:0"
  }

  validation {
    condition     = endswith(var.agent_model.model_id, var.agent_model.foundation_model_id)
    error_message = "agent_model.model_id must be the inference profile of agent_model.foundation_model_id (its id ends with the model's)."
  }
}

variable "agent_idle_session_ttl_seconds" {
  description = "Seconds of inactivity after which the agent forgets a conversation."
  type        = number
  default     = 900
}

variable "case_table_deletion_protection" {
  description = "Protect the case table from deletion (prod)."
  type        = bool
  default     = true
}

variable "code_generation_models" {
  description = "Models the code-generation API offers (a request may name one by label; the first is the default): label, inference profile id, and the foundation model behind it (for IAM)."
  type = list(object({
    label               = string
    model_id            = string
    foundation_model_id = string
  }))
  default = [
    {
      label               = "Claude Sonnet 4.6"
      model_id            = "us.anthropic.claude-sonnet-4-6"
      foundation_model_id = "anthropic.claude-sonnet-4-6"
    },
    {
      label               = "Claude Haiku 4.5"
      model_id            = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
      foundation_model_id = "anthropic.claude-haiku-4-5-20251001-v1:0"
    },
  ]

  validation {
    condition     = length(var.code_generation_models) > 0
    error_message = "code_generation_models needs at least one model."
  }
}

variable "code_generation_throttle" {
  description = "Requests per second and burst the code-generation API admits before answering 429."
  type = object({
    rate  = number
    burst = number
  })
  default = { rate = 5, burst = 10 }
}

variable "code_generation_cors_origins" {
  description = "Origins (https://host) whose pages may call the code-generation API from a browser; none by default."
  type        = list(string)
  default     = []
}

variable "code_generation_reserved_concurrency" {
  description = "Concurrent executions reserved for (and capping) the code-generation function; null reserves none."
  type        = number
  default     = null
}

variable "code_generation_invoker_roles" {
  description = "IAM roles (names) that may call the code-generation API (the invoke policy is attached to them)."
  type        = list(string)
  default     = []
}
