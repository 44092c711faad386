variable "project" {
  description = "Project name, as in the platform stack."
  type        = string
  default     = "genai"
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
  description = "Open the collection endpoint publicly (still IAM-signed). Keep off; terraform runs inside the VPC."
  type        = bool
  default     = false
}

variable "index_admin_arns" {
  description = "Roles that may manage the vector index besides the CI apply role and whoever runs terraform: list the operators' role here, so applies by CI and by operators agree on the policy."
  type        = list(string)
  default     = []
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
