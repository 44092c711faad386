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
    # Karpenter's interruption rules (EventBridge).
    "events",
    # The alarm topic (modules/observability).
    "sns",
    # The Prometheus workspace and its managed scraper (modules/managed-prometheus).
    "aps",
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
    # Model-invocation logging is a setting of the account and Region, with no resource ARN.
    "bedrock:PutModelInvocationLoggingConfiguration", "bedrock:GetModelInvocationLoggingConfiguration",
    "bedrock:DeleteModelInvocationLoggingConfiguration",
  ]

  validation {
    condition     = alltrue([for a in var.unscoped_actions : a != "*" && !endswith(a, ":*")])
    error_message = "unscoped_actions may not contain \"*\" or a whole-service wildcard such as \"ec2:*\"."
  }
}

variable "parameter_path" {
  description = "SSM parameter path the stacks of this environment publish under (/<project>/<environment>); the plan role reads parameters below it only."
  type        = string

  validation {
    condition     = can(regex("^/[a-z][a-z0-9-]*/[A-Za-z0-9._-]+$", var.parameter_path))
    error_message = "parameter_path must look like /<project>/<environment>, without a trailing slash."
  }
}

variable "deploy_branch" {
  description = "The only branch whose workflows may assume the apply role."
  type        = string
  default     = "main"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]{1,255}$", var.deploy_branch)) && !strcontains(var.deploy_branch, "*")
    error_message = "deploy_branch must be one branch name, without wildcards."
  }
}

variable "apply_workflows" {
  description = "Workflow files (under .github/workflows/) whose jobs may assume the apply role, from deploy_branch and the GitHub environment <environment> only. For a reusable workflow, the called file."
  type        = list(string)
  default     = ["deploy.yml", "images.yml"]

  validation {
    condition     = length(var.apply_workflows) > 0 && alltrue([for f in var.apply_workflows : can(regex("^[A-Za-z0-9._-]+\\.ya?ml$", f))])
    error_message = "apply_workflows takes workflow file names such as deploy.yml, without wildcards."
  }
}

variable "plan_workflows" {
  description = "Workflow files (under .github/workflows/) whose jobs may assume the plan role, from any ref (pull requests) and the GitHub environment <environment>-plan only: the pull requests' plan and the scheduled drift check."
  type        = list(string)
  default     = ["plan.yml", "drift.yml"]

  validation {
    condition     = length(var.plan_workflows) > 0 && alltrue([for f in var.plan_workflows : can(regex("^[A-Za-z0-9._-]+\\.ya?ml$", f))])
    error_message = "plan_workflows takes workflow file names such as plan.yml, without wildcards."
  }
}

variable "attachable_aws_managed_policies" {
  description = "AWS managed policies (names after arn:aws:iam::aws:policy/) the apply role may attach to the platform's roles, besides the stacks' own policies named <name_prefix>-*: those the EKS module (cluster, node groups, Karpenter's nodes) and modules/lambda-function attach."
  type        = list(string)
  default = [
    "AmazonEKSClusterPolicy", "AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly",
    "AmazonEC2ContainerRegistryPullOnly", "AmazonEKS_CNI_Policy", "service-role/AWSLambdaVPCAccessExecutionRole",
  ]

  validation {
    condition     = alltrue([for p in var.attachable_aws_managed_policies : !strcontains(p, "*") && !can(regex("(AdministratorAccess|PowerUserAccess|FullAccess|IAM)", p))])
    error_message = "attachable_aws_managed_policies takes exact policy names; administrator, power-user, full-access and IAM policies are refused."
  }
}

variable "boundary_services" {
  description = "AWS services (IAM action prefixes) the platform's roles may use at most: the permissions boundary allows these and denies every IAM change."
  type        = list(string)
  default = [
    "ec2", "eks", "eks-auth", "ecr", "elasticloadbalancing", "autoscaling", "logs", "kms", "ssm", "s3",
    "aoss", "bedrock", "lambda", "dynamodb", "kinesis", "kinesisanalytics", "firehose", "apigateway",
    "execute-api", "es", "cloudwatch", "sqs", "xray", "cognito-idp", "secretsmanager", "airflow",
    # The AWS Load Balancer Controller's policy.
    "acm", "wafv2", "waf-regional", "shield",
    # Karpenter prices instance types to choose the cheapest (read-only).
    "pricing",
    # The managed Prometheus scraper's writer role (aps:RemoteWrite to its workspace).
    "aps",
  ]

  validation {
    condition     = length(setintersection(var.boundary_services, ["*", "iam", "sts", "organizations", "account"])) == 0
    error_message = "The boundary never allows all of \"*\", iam, sts, organizations or account: IAM is granted there action by action."
  }
}

variable "plan_read_actions" {
  description = "What terraform plan refreshes, for the plan role, on every resource: configuration reads of the services the stacks use. None may read data or secrets (object bodies, secret values, parameters, items, records, logs); SSM parameters, the platform's buckets and KMS decryption are granted separately and scoped."
  type        = list(string)
  default = [
    "sts:GetCallerIdentity",
    "ec2:Describe*", "ec2:GetLaunchTemplateData", "ec2:GetManagedPrefixListEntries",
    "eks:Describe*", "eks:List*",
    "iam:Get*", "iam:List*",
    "kms:Describe*", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:List*",
    "logs:Describe*", "logs:ListTagsForResource", "logs:ListTagsLogGroup",
    "s3:ListAllMyBuckets",
    "ssm:DescribeParameters", "ssm:ListTagsForResource",
    "ecr:DescribeRepositories", "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy", "ecr:ListTagsForResource",
    "dynamodb:Describe*", "dynamodb:ListTagsOfResource",
    "kinesis:Describe*", "kinesis:ListTagsForStream",
    "firehose:Describe*", "firehose:List*",
    "kinesisanalytics:Describe*", "kinesisanalytics:List*",
    "lambda:Get*", "lambda:List*",
    "apigateway:GET",
    "bedrock:Get*", "bedrock:List*",
    "aoss:BatchGet*", "aoss:Get*", "aoss:List*",
    # The user pool client's refresh returns its secret, which the state holds as well.
    "cognito-idp:Describe*", "cognito-idp:GetUserPoolMfaConfig", "cognito-idp:ListTagsForResource",
    "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy",
    "cloudwatch:Describe*", "cloudwatch:List*",
    "airflow:GetEnvironment", "airflow:ListEnvironments", "airflow:ListTagsForResource",
    "sns:GetTopicAttributes", "sns:GetSubscriptionAttributes", "sns:ListTagsForResource",
    "cloudwatch:GetDashboard", "budgets:ViewBudget", "budgets:ListTagsForResource",
    # The Prometheus workspace and scraper: their settings, not the metrics (aps:Query*, Get*).
    "aps:DescribeWorkspace", "aps:DescribeScraper", "aps:DescribeLoggingConfiguration", "aps:ListTagsForResource",
    # Karpenter's interruption queue and rules.
    "sqs:GetQueueAttributes", "sqs:ListQueueTags", "events:DescribeRule", "events:ListTagsForResource", "events:ListTargetsByRule",
  ]

  # Patterns that would reach data: the refresh of these stacks never needs them.
  validation {
    condition = alltrue([
      for pattern in var.plan_read_actions : pattern != "*" && !endswith(pattern, ":*") && !anytrue([
        for action in [
          "secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath",
          "kms:Decrypt", "s3:GetObject", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan",
          "kinesis:GetRecords", "logs:GetLogEvents", "logs:FilterLogEvents", "ecr:GetDownloadUrlForLayer",
          "ecr:GetAuthorizationToken", "lambda:InvokeFunction", "bedrock:InvokeModel", "aoss:APIAccessAll",
          "sqs:ReceiveMessage", "ec2:GetPasswordData", "ec2:GetConsoleOutput", "airflow:CreateCliToken",
        ] : can(regex("(?i)^${replace(pattern, "*", ".*")}$", action))
      ])
    ])
    error_message = "plan_read_actions may not grant \"*\", a whole service, or anything that reads data or secrets (secret values, parameters, objects, items, records, logs, images, invocations)."
  }
}

variable "plan_decrypt_via_services" {
  description = "Services through which the plan role may use the account's KMS keys in this Region (kms:ViaService): those whose refresh decrypts with a customer managed key."
  type        = list(string)
  default     = ["s3", "ssm", "bedrock", "lambda"]

  validation {
    condition     = alltrue([for s in var.plan_decrypt_via_services : can(regex("^[a-z0-9-]+$", s))])
    error_message = "plan_decrypt_via_services takes service endpoint prefixes such as s3."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
