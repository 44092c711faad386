variable "project" {
  description = "Project name; prefixes every resource name."
  type        = string
  default     = "genai"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,11}$", var.project))
    error_message = "project must be 2-12 lower-case letters, digits or dashes."
  }
}

variable "region" {
  description = "Region of the state bucket (and of the platform)."
  type        = string
}

variable "state_version_retention_days" {
  description = "Days a superseded state version is kept (recovery from a bad apply)."
  type        = number
  default     = 90
}
