variable "name_prefix" {
  description = "Prefix of the platform's resource names in this environment, e.g. genai-dev. The apply role may manage IAM roles and policies under it only."
  type        = string

  # The roles <name_prefix>-github-apply and -plan are IAM names: at most 64 characters.
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,49}$", var.name_prefix))
    error_message = "name_prefix must be 2-50 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "github_repository" {
  description = "The repository whose workflows may assume the roles, as owner/name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9-]{1,39}/[A-Za-z0-9_.-]{1,100}$", var.github_repository))
    error_message = "github_repository must look like owner/name (GitHub: owner up to 39 characters, name up to 100)."
  }
}

variable "environment" {
  description = "Environment name. The apply role trusts the GitHub environment of that name, the plan role the one named <environment>-plan."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,250}$", var.environment))
    error_message = "environment must be 1-250 letters, digits, '.', '_' or '-' (a GitHub environment name that is also an S3 key prefix)."
  }
}

variable "state_bucket" {
  description = "Name of the Terraform state bucket (from infra/bootstrap)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket))
    error_message = "state_bucket must be an S3 bucket name."
  }
}

variable "state_kms_key_arn" {
  description = "ARN of the KMS key encrypting the state bucket."
  type        = string

  validation {
    condition     = can(regex("^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]{36}$", var.state_kms_key_arn))
    error_message = "state_kms_key_arn must be the ARN of a KMS key (not an alias)."
  }
}

variable "managed_services" {
  description = "AWS services (IAM action prefixes) whose resources the apply role creates and changes, in this Region only."
  type        = list(string)
  default = [
    "ec2", "eks", "ecr", "elasticloadbalancing", "autoscaling", "logs", "kms", "ssm", "s3",
    "aoss", "bedrock", "lambda", "dynamodb", "kinesis", "kinesisanalytics", "apigateway",
    "es", "cloudwatch", "sqs", "xray", "cognito-idp", "secretsmanager", "firehose", "airflow",
  ]

  validation {
    condition     = !contains(var.managed_services, "iam") && !contains(var.managed_services, "*") && !contains(var.managed_services, "organizations")
    error_message = "IAM is granted separately, scoped to name_prefix; \"*\" and organizations are refused."
  }
}

variable "unscoped_actions" {
  description = "Actions the apply role needs that take no resource ARN (creating keys, listing, describing). None may be a whole-service wildcard."
  type        = list(string)
  default = [
    "sts:GetCallerIdentity", "iam:ListRoles", "iam:ListPolicies", "iam:ListOpenIDConnectProviders",
    "ec2:Describe*", "ec2:GetManagedPrefixListEntries", "eks:DescribeAddonVersions", "eks:ListClusters",
    "kms:CreateKey", "kms:ListAliases", "kms:ListKeys", "ecr:GetAuthorizationToken", "logs:DescribeLogGroups",
    "ssm:DescribeParameters", "elasticloadbalancing:Describe*", "autoscaling:Describe*",
    "aoss:List*", "aoss:BatchGetCollection", "aoss:CreateSecurityPolicy", "aoss:GetSecurityPolicy",
    "aoss:UpdateSecurityPolicy", "aoss:DeleteSecurityPolicy", "aoss:CreateAccessPolicy", "aoss:GetAccessPolicy",
    "aoss:UpdateAccessPolicy", "aoss:DeleteAccessPolicy", "bedrock:List*", "lambda:List*", "dynamodb:List*",
    "kinesis:ListStreams", "kinesisanalytics:List*", "cloudwatch:Describe*", "sqs:ListQueues",
    "s3:ListAllMyBuckets", "xray:GetSamplingRules", "firehose:ListDeliveryStreams", "airflow:ListEnvironments",
    # JupyterHub's sign-in: a user pool's ARN exists only once it is created, and its domain
    # is looked up by name.
    "cognito-idp:CreateUserPool", "cognito-idp:DescribeUserPoolDomain", "cognito-idp:ListUserPools",
    # Creating these takes no resource ARN (the bedrock stack).
    "bedrock:CreateKnowledgeBase", "bedrock:CreateAgent", "bedrock:CreateGuardrail",
    "aoss:CreateCollection", "aoss:CreateVpcEndpoint", "aoss:BatchGetVpcEndpoint",
    "aoss:UpdateVpcEndpoint", "aoss:DeleteVpcEndpoint", "aoss:TagResource", "aoss:UntagResource",
    # The VPC endpoint's private hosted zone.
    "route53:CreateHostedZone", "route53:ListHostedZonesByName", "route53:ListHostedZonesByVPC",
  ]

  validation {
    condition     = alltrue([for a in var.unscoped_actions : a != "*" && !endswith(a, ":*")])
    error_message = "unscoped_actions may not contain \"*\" or a whole-service wildcard such as \"ec2:*\"."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
