variable "name" {
  description = "Prefix of every resource name, e.g. genai-dev."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,24}$", var.name))
    error_message = "name is 2-25 lower-case letters, digits and dashes, starting with a letter (it prefixes bucket, function and role names)."
  }
}

variable "models" {
  description = "Models the API may use: label (what a request names), inference profile id, the foundation model behind it (for IAM) and, optionally, the API's own application inference profile of it (profile_arn), which it then calls instead. The first is the default."
  type = list(object({
    label               = string
    model_id            = string
    foundation_model_id = string
    profile_arn         = optional(string)
  }))

  validation {
    condition     = length(var.models) > 0 && alltrue([for m in var.models : can(regex("^[a-z]{2,4}\\.[a-z0-9-]+\\.[a-zA-Z0-9.:-]+$", m.model_id)) && endswith(m.model_id, m.foundation_model_id) && length(m.label) >= 1 && length(m.label) <= 60])
    error_message = "models needs at least one model, each with a label (1-60 characters), an inference profile id and the foundation model id it ends with."
  }
  validation {
    condition     = alltrue([for m in var.models : m.profile_arn == null || can(regex("^arn:aws(-cn|-us-gov)?:bedrock:[a-z0-9-]+:[0-9]{12}:application-inference-profile/[a-z0-9]{12}$", m.profile_arn))])
    error_message = "A model's profile_arn must be the ARN of an application inference profile."
  }
}

variable "metered_as" {
  description = "Who the function's model calls are metered as (apps/genai_common/metering): the app's declared name and the environment's name, the App and Environment dimensions of its metrics."
  type = object({
    app         = string
    environment = string
  })

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,63}$", var.metered_as.app)) && can(regex("^[a-z][a-z0-9]{1,15}$", var.metered_as.environment))
    error_message = "metered_as.app must be a declared app name and metered_as.environment an environment's name (lower case, 2-16 characters)."
  }
}

variable "token_budget" {
  description = "The daily token budgets the function charges (apps/genai_common/metering/metering.json): the table's name, a policy document that lets it check and charge the table, and the app's and each user's daily tokens. null: metering without budgets."
  type = object({
    table_name        = string
    policy_json       = string
    app_daily_tokens  = number
    user_daily_tokens = number
  })
  default = null

  validation {
    condition     = var.token_budget == null || try(var.token_budget.user_daily_tokens >= 1 && var.token_budget.user_daily_tokens <= var.token_budget.app_daily_tokens, false)
    error_message = "token_budget's daily tokens must be at least 1, a user's no more than the app's."
  }
}

variable "guardrail_id" {
  description = "The platform guardrail the function applies."
  type        = string
}

variable "guardrail_version" {
  description = "Version of the guardrail."
  type        = string
}

variable "guardrail_arn" {
  description = "ARN of the guardrail (for IAM)."
  type        = string
}

variable "package_path" {
  description = "Path of the function's zip (dist/code_generation.zip, built by scripts/package-lambda)."
  type        = string
}

variable "prefix" {
  description = "Key prefix of the generated code in the bucket."
  type        = string
  default     = "generated/"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9/_-]*/$", var.prefix))
    error_message = "prefix is lower-case letters, digits, _, - and /, ending with /."
  }
}

variable "deadline_seconds" {
  description = "When the function gives up and answers 504: under API Gateway's 30-second integration limit."
  type        = number
  default     = 25

  validation {
    condition     = var.deadline_seconds >= 5 && var.deadline_seconds <= 27
    error_message = "deadline_seconds must be from 5 to 27 (API Gateway stops waiting at 30 s; the function needs a moment to answer)."
  }
}

variable "download_url_seconds" {
  description = "Lifetime of the download link a response carries."
  type        = number
  default     = 900

  validation {
    condition     = var.download_url_seconds >= 60 && var.download_url_seconds <= 3600
    error_message = "download_url_seconds must be from 60 to 3600."
  }
}

variable "reserved_concurrency" {
  description = "Concurrent executions reserved for (and capping) the function; null reserves none (new accounts refuse any reservation)."
  type        = number
  default     = null
}

variable "throttle" {
  description = "Requests per second (steady rate) and burst the API admits before answering 429."
  type = object({
    rate  = number
    burst = number
  })
  default = { rate = 5, burst = 10 }

  validation {
    condition     = var.throttle.rate > 0 && var.throttle.burst >= 1 && floor(var.throttle.burst) == var.throttle.burst
    error_message = "throttle.rate must be above 0 and throttle.burst a whole number of at least 1."
  }
}

variable "cors_allowed_origins" {
  description = "Origins whose browser pages may call the API (e.g. https://tools.example.com); none by default."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for o in var.cors_allowed_origins : can(regex("^https://[a-z0-9.-]+(:[0-9]+)?$", o))])
    error_message = "cors_allowed_origins takes https origins (scheme, host and optional port, no path); \"*\" is refused."
  }
}

variable "invoker_role_names" {
  description = "IAM roles (names, in this account) to attach the invoke policy to."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "Retention of the function's and the API's logs, in days (a value CloudWatch Logs accepts)."
  type        = number
  default     = 365
}

variable "force_destroy" {
  description = "Let destroy remove the bucket while it holds generated code."
  type        = bool
  default     = false
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
