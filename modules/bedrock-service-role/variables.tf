variable "name" {
  description = "Name of the role."
  type        = string
}

variable "description" {
  description = "What the role lets Bedrock do."
  type        = string
}

variable "resource_type" {
  description = "The Bedrock resource type that assumes the role: agent or knowledge-base."
  type        = string

  validation {
    condition     = contains(["agent", "knowledge-base"], var.resource_type)
    error_message = "resource_type must be agent or knowledge-base."
  }
}

variable "policy_json" {
  description = "The role's permissions (an IAM policy document)."
  type        = string
}

variable "tags" {
  description = "Tags added to the role."
  type        = map(string)
  default     = {}
}
