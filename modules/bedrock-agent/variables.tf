variable "name" {
  description = "Prefix of every resource name (<project>-<environment>)."
  type        = string

  # Derived names: the agent <name>-competency-agent (Bedrock: letters and digits, single - or _
  # between them), the roles <name>-case-sheets-function and -signer (IAM: 64) and the bucket
  # <name>-case-sheets-<account id> (S3: 63).
  validation {
    condition     = can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.name)) && length(var.name) >= 3 && length(var.name) <= 31
    error_message = "name must be 3-31 lower-case letters and digits in dash-separated words (no double or trailing dash)."
  }
}

variable "model_id" {
  description = "Inference profile the agent runs on, e.g. us.anthropic.claude-haiku-4-5-20251001-v1:0."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2,4}\\.[a-z0-9-]+\\.[a-zA-Z0-9.:-]+$", var.model_id))
    error_message = "model_id must be an inference profile id such as us.anthropic.claude-haiku-4-5-20251001-v1:0 (the role is scoped to that profile)."
  }
}

variable "foundation_model_id" {
  description = "Foundation model behind model_id (IAM allows it only through that profile)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9-]+\\.[a-zA-Z0-9.:-]{1,63}$", var.foundation_model_id))
    error_message = "foundation_model_id must be a Bedrock model id such as anthropic.claude-haiku-4-5-20251001-v1:0."
  }
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
  description = "Seconds of inactivity after which the agent forgets a session (60-5400)."
  type        = number
  default     = 900

  validation {
    condition     = var.idle_session_ttl_seconds >= 60 && var.idle_session_ttl_seconds <= 5400
    error_message = "idle_session_ttl_seconds must be 60-5400."
  }
}

variable "alias_name" {
  description = "Name of the alias the apps invoke."
  type        = string
  default     = "live"

  validation {
    condition     = can(regex("^([0-9a-zA-Z][_-]?){1,100}$", var.alias_name))
    error_message = "alias_name takes letters and digits with single - or _ between them (Bedrock's agent alias names)."
  }
}

variable "api_schema_path" {
  description = "Path of the action group's OpenAPI 3.0 schema (JSON)."
  type        = string

  validation {
    condition     = fileexists(var.api_schema_path) && can(jsondecode(file(var.api_schema_path)).openapi)
    error_message = "api_schema_path must name an OpenAPI schema in JSON."
  }
}

variable "package_path" {
  description = "Path of the Lambda deployment zip built by scripts/package-lambda."
  type        = string
}

variable "knowledge_base" {
  description = "Knowledge base the agent consults (its role may Retrieve from it only), and the instruction telling the agent when to use it (at most 200 characters). null: an agent without one."
  type = object({
    id          = string
    arn         = string
    instruction = optional(string, "AWS Competency programs (Conversational AI, Data and Analytics, DevOps, Education, Energy, Financial Services, Machine Learning, Security): requirements and validation.")
  })
  default = null

  validation {
    condition     = var.knowledge_base == null || (length(try(var.knowledge_base.instruction, "")) >= 1 && length(try(var.knowledge_base.instruction, "")) <= 200)
    error_message = "knowledge_base.instruction must be 1-200 characters (the AssociateAgentKnowledgeBase description limit)."
  }
}

variable "guardrail_id" {
  description = "Guardrail applied to the agent."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]{1,64}$", var.guardrail_id))
    error_message = "guardrail_id must be a guardrail id (lower-case letters and digits), not its name or ARN."
  }
}

variable "guardrail_arn" {
  description = "ARN of that guardrail (the agent role may apply it only)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]+:[0-9]{12}:guardrail/[a-z0-9]+$", var.guardrail_arn)) && endswith(var.guardrail_arn, "/${var.guardrail_id}")
    error_message = "guardrail_arn must be the ARN of the guardrail guardrail_id names."
  }
}

variable "guardrail_version" {
  description = "Published guardrail version (a number: the agent never follows the DRAFT)."
  type        = string

  validation {
    condition     = can(regex("^[1-9][0-9]{0,7}$", var.guardrail_version))
    error_message = "guardrail_version must be a published version number; DRAFT is refused."
  }
}

variable "lambda_timeout" {
  description = "Seconds the action-group Lambda may run (1-900)."
  type        = number
  default     = 30
}

variable "lambda_memory" {
  description = "Memory of the action-group Lambda in MB (128-10240)."
  type        = number
  default     = 512
}

variable "lambda_reserved_concurrency" {
  description = "Concurrent executions reserved for (and capping) the Lambda; null reserves none. Lambda keeps 100 executions of the account's quota unreserved, so a reservation fails in accounts still at a small new-account quota: raise the quota (Service Quotas) before setting one."
  type        = number
  default     = null
}

variable "log_retention_days" {
  description = "Retention of the Lambda's log group, in days (a value CloudWatch Logs accepts)."
  type        = number
  default     = 365
}

variable "download_link_seconds" {
  description = "Lifetime of the presigned download links the action group returns (at most an hour: the signing role's sessions are chained from the function's, which STS caps at an hour)."
  type        = number
  default     = 3600

  validation {
    condition     = var.download_link_seconds >= 60 && var.download_link_seconds <= 3600
    error_message = "download_link_seconds must be 60-3600 (the links are signed with a role session chained from the function's, which lasts at most an hour)."
  }
}

variable "case_table" {
  description = "Key schema of the case-sheet table <name>-case-sheets, as apps/case_sheets/app.yaml declares it (data.tables): hash_key and optional range_key, each { name, type = S, N or B }, and an optional ttl attribute."
  type = object({
    hash_key  = object({ name = string, type = string })
    range_key = optional(object({ name = string, type = string }))
    ttl       = optional(string)
  })

  validation {
    condition     = alltrue([for key in [var.case_table.hash_key, var.case_table.range_key] : key == null || contains(["S", "N", "B"], try(key.type, "-"))])
    error_message = "case_table's keys are of type S, N or B (DynamoDB's key attribute types)."
  }
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

variable "permissions_boundary" {
  description = "ARN of the permissions boundary its roles (the agent's and the action group function's) carries (the platform's, published as /<project>/<environment>/platform/permissions-boundary-arn): the CI apply role creates no role without it."
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
