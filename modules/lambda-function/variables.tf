variable "name" {
  description = "Name of the function; its role is <name>-function and its log group /aws/lambda/<name>."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,55}$", var.name))
    error_message = "name must be 1-55 letters, digits, - or _ (Lambda names take 64 characters, and the role <name>-function must fit IAM's 64)."
  }
}

variable "description" {
  description = "What the function does (at most 256 characters)."
  type        = string

  validation {
    condition     = length(var.description) <= 256 && can(regex("^[\\t\\n\\r\\x{20}-\\x{7E}\\x{A1}-\\x{FF}]*$", var.description))
    error_message = "description must be at most 256 characters of printable Latin-1 text (it also describes the IAM role)."
  }
}

variable "package_path" {
  description = "Path of the deployment zip (scripts/package-lambda builds them under dist/)."
  type        = string

  validation {
    condition     = fileexists(var.package_path)
    error_message = "package_path names no file: build it with scripts/package-lambda (scripts/tf does before every plan of the bedrock stack)."
  }
}

variable "handler" {
  description = "Handler as <module path>.<function>, e.g. case_sheets.handler.lambda_handler."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z_][A-Za-z0-9_.]*\\.[A-Za-z_][A-Za-z0-9_]*$", var.handler)) && length(var.handler) <= 128
    error_message = "handler must look like package.module.function (at most 128 characters)."
  }
}

variable "policy_json" {
  description = "What the function may call besides its logs and traces (an IAM policy document)."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer-managed key of the function's log group and environment variables; its policy must let CloudWatch Logs use it for /aws/lambda/<name> (modules/kms-key log_group_names)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]{36}$", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a KMS key."
  }
}

variable "environment" {
  description = "Environment variables of the function (settings, never secrets)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.environment) : can(regex("^[a-zA-Z][a-zA-Z0-9_]*$", k))])
    error_message = "environment keys must be letters, digits and _, starting with a letter."
  }
}

variable "timeout" {
  description = "Seconds an invocation may run (1-900)."
  type        = number
  default     = 30

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900
    error_message = "timeout must be 1-900 seconds."
  }
}

variable "memory" {
  description = "Memory in MB (128-10240)."
  type        = number
  default     = 256

  validation {
    condition     = var.memory >= 128 && var.memory <= 10240
    error_message = "memory must be 128-10240 MB."
  }
}

variable "reserved_concurrency" {
  description = "Concurrent executions reserved for (and capping) the function; null reserves none. Lambda keeps part of the account's quota unreserved, so accounts still at the small new-account quota refuse any reservation."
  type        = number
  default     = null

  validation {
    condition     = var.reserved_concurrency == null || try(var.reserved_concurrency >= 1, false)
    error_message = "reserved_concurrency must be null or at least 1 (0 would stop the function)."
  }
}

variable "vpc" {
  description = "Subnets and security groups to attach the function to, for what it reaches inside a VPC; null runs it outside."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  default = null

  validation {
    condition     = var.vpc == null || (length(try(var.vpc.subnet_ids, [])) >= 1 && length(try(var.vpc.subnet_ids, [])) <= 16 && length(try(var.vpc.security_group_ids, [])) >= 1 && length(try(var.vpc.security_group_ids, [])) <= 5)
    error_message = "vpc needs 1-16 subnets and 1-5 security groups."
  }
}

variable "log_retention_days" {
  description = "Retention of the function's logs, in days (a value CloudWatch Logs accepts)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of CloudWatch Logs' retention periods: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]."
  }
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
