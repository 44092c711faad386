variable "name_prefix" {
  description = "Prefix of every repository name, e.g. genai/dev: repositories are <prefix>/<app>."
  type        = string
}

variable "repositories" {
  description = "App names that get a repository each, e.g. [\"claude-chat\"]."
  type        = set(string)

  validation {
    condition     = alltrue([for r in var.repositories : can(regex("^[a-z0-9][a-z0-9._-]*$", r))])
    error_message = "Repository names must be lower-case letters, digits, '.', '_' or '-'."
  }
}

variable "keep_tagged_images" {
  description = "Number of most recent tagged images kept per repository; older ones expire."
  type        = number
  default     = 30
}

variable "untagged_expiry_days" {
  description = "Days after which untagged images (left behind by failed pushes) expire."
  type        = number
  default     = 7
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
