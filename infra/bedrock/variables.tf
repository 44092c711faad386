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
  description = "Embedding model of the knowledge base."
  type        = string
  default     = "amazon.titan-embed-text-v2:0"
}

variable "embedding_dimensions" {
  description = "Embedding dimension of the knowledge base (256, 512 or 1024); changing it rebuilds the index and needs a new sync."
  type        = number
  default     = 1024
}

variable "chunking" {
  description = "Chunking of the data source: strategy FIXED_SIZE or NONE, max_tokens, overlap_percentage."
  type = object({
    strategy           = optional(string, "FIXED_SIZE")
    max_tokens         = optional(number, 300)
    overlap_percentage = optional(number, 20)
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
  description = "Topics every assistant refuses: name => definition and examples. Defaults to the module's (investment advice)."
  type = map(object({
    definition = string
    examples   = optional(list(string), [])
  }))
  default = {
    "Investment advice" = {
      definition = "Recommendations about buying, selling or holding securities, funds, cryptocurrencies or other investments."
      examples   = ["Which stocks should I buy this year?", "Is now a good time to invest in crypto?"]
    }
  }
}

variable "guardrail_pii_entities" {
  description = "PII handling of the guardrail: entity type => BLOCK or ANONYMIZE."
  type        = map(string)
  default = {
    AWS_ACCESS_KEY           = "BLOCK"
    AWS_SECRET_KEY           = "BLOCK"
    CREDIT_DEBIT_CARD_NUMBER = "BLOCK"
    PASSWORD                 = "BLOCK"
    EMAIL                    = "ANONYMIZE"
    PHONE                    = "ANONYMIZE"
  }
}
