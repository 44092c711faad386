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
  description = "Environment name: a folder environments/<environment> whose environment.yaml states its tier and Region (README, Environments and tiers)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,6}$", var.environment)) && fileexists("${path.module}/../../environments/${var.environment}/environment.yaml")
    error_message = "environment must name a folder of environments/ that holds an environment.yaml (README, Adding an environment)."
  }
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
  description = "Let a destroy delete the documents, case-sheet and generated-code buckets with their objects; null follows the tier (only in development)."
  type        = bool
  default     = null
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

variable "agent_idle_session_ttl_seconds" {
  description = "Seconds of inactivity after which the agent forgets a conversation."
  type        = number
  default     = 900
}

variable "case_table_deletion_protection" {
  description = "Protect the case table from deletion; null follows the tier (on in production)."
  type        = bool
  default     = null
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

variable "model_invocation_logging" {
  description = "Manage Bedrock's model-invocation logging (one configuration per account and Region): of environments sharing an account and Region, exactly one keeps it on and logs the calls of all of them (each call names its app's inference profile, so the environment stays visible)."
  type        = bool
  default     = true
}

variable "invocation_log_retention_days" {
  description = "Days the model-invocation log group keeps its records; null follows the tier (365 in production, 30 in development)."
  type        = number
  default     = null

  validation {
    condition     = var.invocation_log_retention_days == null || contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], coalesce(var.invocation_log_retention_days, 30))
    error_message = "invocation_log_retention_days must be one of CloudWatch Logs' retention periods: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]."
  }
}
