variable "name" {
  description = "Name of the role."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.name))
    error_message = "name must be an IAM role name: 1-64 letters, digits or + = , . @ _ -."
  }
}

variable "description" {
  description = "What the role lets Bedrock do (at most 1000 characters, no typographic quotes)."
  type        = string

  validation {
    condition     = length(var.description) <= 1000 && can(regex("^[\\t\\n\\r\\x{20}-\\x{7E}\\x{A1}-\\x{FF}]*$", var.description))
    error_message = "description must be at most 1000 characters of printable Latin-1 text (IAM refuses others, e.g. typographic quotes)."
  }
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

variable "permissions_boundary" {
  description = "ARN of the permissions boundary the role carries (the platform's, published as /<project>/<environment>/platform/permissions-boundary-arn): the CI apply role creates no role without it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:policy/.+$", var.permissions_boundary))
    error_message = "permissions_boundary must be the ARN of a customer managed policy."
  }
}

variable "tags" {
  description = "Tags added to the role."
  type        = map(string)
  default     = {}
}
