variable "name" {
  description = "Name of the VPC and prefix of its resources, e.g. genai-dev."
  type        = string

  # The flow log role <name>-vpc-flow-log is an IAM name: at most 64 characters.
  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,51}$", var.name))
    error_message = "name must be 1-51 letters, digits or + = , . @ _ - (IAM role names derived from it are limited to 64 characters)."
  }
}

variable "cidr" {
  description = "IPv4 CIDR block of the VPC; split into one public and one private subnet per availability zone."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.cidr, 0)) && tonumber(split("/", var.cidr)[1]) <= 20
    error_message = "cidr must be a valid IPv4 CIDR of /20 or larger."
  }
}

variable "az_count" {
  description = "Number of availability zones to spread subnets over (EKS needs at least 2)."
  type        = number
  default     = 3

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 4
    error_message = "az_count must be between 2 and 4."
  }
}

variable "nat_gateways" {
  description = "NAT gateways for private subnets: \"single\" (one, cheaper, one AZ's outage cuts egress) or \"per_az\" (one per AZ, highly available)."
  type        = string
  default     = "single"

  validation {
    condition     = contains(["single", "per_az"], var.nat_gateways)
    error_message = "nat_gateways must be \"single\" or \"per_az\"."
  }
}

variable "cluster_name" {
  description = "EKS cluster that will use the subnets; tagged so the AWS Load Balancer Controller discovers them."
  type        = string

  validation {
    condition     = can(regex("^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$", var.cluster_name))
    error_message = "cluster_name must be an EKS cluster name: 1-100 letters, digits, - or _, starting with a letter or digit."
  }
}

variable "flow_log_retention_days" {
  description = "Retention of the VPC flow logs in CloudWatch Logs, in days (a value CloudWatch Logs accepts)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be one of CloudWatch Logs' retention periods: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]."
  }
}

variable "permissions_boundary" {
  description = "ARN of the permissions boundary the VPC flow log role carries (the platform's, published as /<project>/<environment>/platform/permissions-boundary-arn): the CI apply role creates no role without it."
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
