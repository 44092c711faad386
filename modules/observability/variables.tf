variable "name" {
  description = "Prefix of the dashboard, topic, alarm and budget names (<project>-<environment>)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lower-case letters, digits and dashes, starting with a letter."
  }
}

variable "environment" {
  description = "The environment: the Environment dimension of the apps' metrics and the Environment cost-allocation tag the budget filters on."
  type        = string
}

variable "metering" {
  description = "The metric spec the apps emit from (apps/genai_common/metering/metering.json, decoded): namespace, dimensions, and each metric's name and unit by key."
  type = object({
    namespace  = string
    dimensions = list(string)
    metrics    = map(object({ name = string, unit = string }))
  })

  validation {
    condition     = length(setsubtract(["calls", "input_tokens", "output_tokens", "latency", "errors", "throttles", "budget_used_percent"], keys(var.metering.metrics))) == 0 && toset(var.metering.dimensions) == toset(["Environment", "App", "Model"])
    error_message = "metering must define the metrics calls, input_tokens, output_tokens, latency, errors, throttles and budget_used_percent, with the dimensions Environment, App and Model."
  }
}

variable "watch" {
  description = "The platform's services to show and watch: Lambda function names, the HTTP API id, the Kinesis stream, the Flink application, the OpenSearch Serverless collection and the MWAA environment (null: not deployed)."
  type = object({
    lambda_functions  = optional(list(string), [])
    http_api_id       = optional(string)
    stream_name       = optional(string)
    flink_application = optional(string)
    collection_name   = optional(string)
    mwaa_environment  = optional(string)
  })
  default = {}
}

variable "alarm_email" {
  description = "E-mail address subscribed to the alarm topic (the subscription must be confirmed from the mail); null subscribes no one."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", coalesce(var.alarm_email, "x")))
    error_message = "alarm_email must be an e-mail address."
  }
}

variable "errors_per_5_minutes" {
  description = "Failed model calls of one app in 5 minutes above which its alarm fires (a count: the metrics carry the model as a dimension, and an alarm on a Metrics Insights query takes a single query)."
  type        = number
  default     = 5

  validation {
    condition     = var.errors_per_5_minutes >= 0 && floor(var.errors_per_5_minutes) == var.errors_per_5_minutes
    error_message = "errors_per_5_minutes must be a whole number, at least 0."
  }
}

variable "budget_alarm_percent" {
  description = "Share of an app's daily token budget (metering.json budget_used_percent) at which its alarm fires."
  type        = number
  default     = 80

  validation {
    condition     = var.budget_alarm_percent > 0 && var.budget_alarm_percent <= 100
    error_message = "budget_alarm_percent must be above 0 and at most 100."
  }
}

variable "monthly_cost_limit_usd" {
  description = "The environment's monthly AWS cost (resources tagged Environment=<environment>) that AWS Budgets alerts on: 80 % actual, 100 % forecast."
  type        = number

  validation {
    condition     = var.monthly_cost_limit_usd > 0
    error_message = "monthly_cost_limit_usd must be above 0."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
