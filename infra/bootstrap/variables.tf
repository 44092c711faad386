variable "project" {
  description = "Project name; names the state bucket (<project>-tfstate-<account>-<region>) and its key. The same in every stack."
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

variable "state_version_retention_days" {
  description = "Days a superseded state version is kept (recovery from a bad apply)."
  type        = number
  default     = 90

  validation {
    condition     = var.state_version_retention_days >= 1 && floor(var.state_version_retention_days) == var.state_version_retention_days
    error_message = "state_version_retention_days must be a whole number of days, at least 1."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub Actions OIDC provider (token.actions.githubusercontent.com); false where the account already has one."
  type        = bool
  default     = true
}
