variable "alias" {
  description = "Alias of the key, without the alias/ prefix."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9/_-]{1,250}$", var.alias)) && !startswith(var.alias, "aws/")
    error_message = "alias takes 1-250 letters, digits, /, _ and - (256 with alias/), and may not start with aws/."
  }
}

variable "description" {
  description = "What the key encrypts (at most 8192 characters)."
  type        = string

  validation {
    condition     = length(var.description) <= 8192
    error_message = "description must be at most 8192 characters."
  }
}

variable "policy_documents" {
  description = "Extra key-policy statements (JSON policy documents), e.g. for a service principal."
  type        = list(string)
  default     = []
}

variable "log_group_names" {
  description = "CloudWatch Logs log groups (names) that the logs service may encrypt with the key."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for name in var.log_group_names : can(regex("^[.\\-_/#A-Za-z0-9]{1,512}$", name))])
    error_message = "log_group_names must be CloudWatch Logs group names: 1-512 letters, digits or . - _ / #."
  }
}

variable "deletion_window_days" {
  description = "Days a scheduled deletion waits (7-30)."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_days >= 7 && var.deletion_window_days <= 30
    error_message = "deletion_window_days must be 7-30."
  }
}

variable "tags" {
  description = "Tags added to the key."
  type        = map(string)
  default     = {}
}
