variable "name" {
  description = "Prefix of every resource name (<project>-<environment>)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name))
    error_message = "name must be 3-31 lower-case letters, digits or dashes."
  }
}

variable "model_id" {
  description = "Inference profile the agent runs on, e.g. us.anthropic.claude-haiku-4-5-20251001-v1:0."
  type        = string
}

variable "foundation_model_id" {
  description = "Foundation model behind model_id (IAM allows it only through that profile)."
  type        = string
}

variable "instruction" {
  description = "The agent's instruction (40-4000 characters)."
  type        = string

  validation {
    condition     = length(var.instruction) >= 40 && length(var.instruction) <= 4000
    error_message = "Bedrock takes an instruction of 40 to 4000 characters."
  }
}

variable "idle_session_ttl_seconds" {
  description = "Seconds of inactivity after which the agent forgets a session (60-3600)."
  type        = number
  default     = 900

  validation {
    condition     = var.idle_session_ttl_seconds >= 60 && var.idle_session_ttl_seconds <= 3600
    error_message = "idle_session_ttl_seconds must be 60-3600."
  }
}

variable "alias_name" {
  description = "Name of the alias the apps invoke."
  type        = string
  default     = "live"
}

variable "api_schema_path" {
  description = "Path of the action group's OpenAPI 3.0 schema (JSON)."
  type        = string
}

variable "package_path" {
  description = "Path of the Lambda deployment zip built by scripts/package-lambda."
  type        = string
}

variable "knowledge_base_id" {
  description = "Knowledge base the agent consults."
  type        = string
}

variable "knowledge_base_arn" {
  description = "ARN of that knowledge base (the agent role may Retrieve from it only)."
  type        = string
}

variable "knowledge_base_instruction" {
  description = "Tells the agent when to use the knowledge base."
  type        = string
  default     = "Information about the AWS Competency programs: Conversational AI, Data and Analytics, DevOps, Education, Energy, Financial Services, Machine Learning and Security. Use it for questions about program requirements and validation."
}

variable "guardrail_id" {
  description = "Guardrail applied to the agent."
  type        = string
}

variable "guardrail_arn" {
  description = "ARN of that guardrail (the agent role may apply it only)."
  type        = string
}

variable "guardrail_version" {
  description = "Published guardrail version."
  type        = string
}

variable "lambda_timeout" {
  description = "Seconds the action-group Lambda may run."
  type        = number
  default     = 30
}

variable "lambda_memory" {
  description = "Memory of the action-group Lambda in MB."
  type        = number
  default     = 512
}

variable "lambda_reserved_concurrency" {
  description = "Concurrent executions reserved for (and capping) the Lambda. Set null in accounts whose concurrency quota is still the new-account 10, where any reservation is refused."
  type        = number
  default     = 10
}

variable "log_retention_days" {
  description = "Retention of the Lambda's log group."
  type        = number
  default     = 365
}

variable "download_link_seconds" {
  description = "Lifetime of the presigned download links checkCase returns (at most the function's credentials' lifetime)."
  type        = number
  default     = 3600
}

variable "deletion_protection" {
  description = "Protect the case table from deletion (prod)."
  type        = bool
  default     = true
}

variable "force_destroy" {
  description = "Let a destroy delete the sheets bucket with its workbooks (dev)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
