variable "name_prefix" {
  description = "Prefix of every repository name, e.g. genai/dev: repositories are <prefix>/<app>."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$", var.name_prefix))
    error_message = "name_prefix must be an ECR repository path: lower-case words of letters and digits joined by '.', '_' or '-', separated by '/'."
  }
}

variable "repositories" {
  description = "App names that get a repository each, e.g. [\"claude-chat\"]."
  type        = set(string)

  validation {
    condition     = alltrue([for r in var.repositories : can(regex("^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*$", r))])
    error_message = "Repository names must be lower-case letters and digits joined by '.', '_' or '-' (ECR's rule)."
  }
  validation {
    condition     = alltrue([for r in var.repositories : length("${var.name_prefix}/${r}") <= 256])
    error_message = "<name_prefix>/<app> must be at most 256 characters."
  }
}

variable "keep_tagged_images" {
  description = "Number of most recent tagged images kept per repository; older ones expire."
  type        = number
  default     = 30

  validation {
    condition     = var.keep_tagged_images >= 1
    error_message = "keep_tagged_images must be at least 1 (a lifecycle rule's count)."
  }
}

variable "untagged_expiry_days" {
  description = "Days after which untagged images (left behind by failed pushes) expire."
  type        = number
  default     = 7

  validation {
    condition     = var.untagged_expiry_days >= 1
    error_message = "untagged_expiry_days must be at least 1 (a lifecycle rule's count)."
  }
}

variable "force_delete" {
  description = "Allow destroying a repository that still holds images (true only for throwaway environments)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
