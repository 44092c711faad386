variable "alias" {
  description = "Alias of the key, without the alias/ prefix."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9/_-]{1,250}$", var.alias)) && !startswith(var.alias, "aws/")
    error_message = "alias takes letters, digits, /, _ and -, and may not start with aws/."
  }
}

variable "description" {
  description = "What the key encrypts."
  type        = string
}

variable "policy_documents" {
  description = "Extra key-policy statements (JSON policy documents), e.g. for a service principal."
  type        = list(string)
  default     = []
}

variable "deletion_window_days" {
  description = "Days a scheduled deletion waits (7-30)."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to the key."
  type        = map(string)
  default     = {}
}
