# Who may assume the CI roles, and what the roles may do, decided over the rendered policies by a
# small IAM evaluator (tests/terraform-mocks/iam-evaluator). The policy documents are rendered by
# the provider itself (no mock_provider), so the JSON under test is what IAM would receive; only
# the data sources that would call AWS are overridden.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "offline"
  secret_key                  = "offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = data.aws_region.current
  values = { region = "us-east-1" }
}

override_data {
  target = data.aws_iam_openid_connect_provider.github
  values = { arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
}

variables {
  name_prefix       = "genai-dev"
  github_repository = "example-org/genai-platform"
  environment       = "dev"
  parameter_path    = "/genai/dev"
  state_bucket      = "genai-tfstate-123456789012-us-east-1"
  state_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000001"
}

run "roles" {
  command = plan

  assert {
    condition     = aws_iam_policy.plan.name == "genai-dev-github-plan" && keys(aws_iam_role_policy_attachment.apply) == ["apply", "apply_iam"]
    error_message = "The plan role reads through its own scoped policy; the apply role has its service and IAM policies."
  }
  assert {
    condition = [for s in data.aws_iam_policy_document.state["plan"].statement : s.resources if s.sid == "WriteLockOnly"] == [
      toset(["arn:aws:s3:::genai-tfstate-123456789012-us-east-1/dev/*.tflock"]),
    ]
    error_message = "The plan role may write the environment's lock files only."
  }
  assert {
    condition     = aws_iam_policy.boundary.name == "genai-dev-permissions-boundary"
    error_message = "The boundary has the deterministic name the stacks find it by."
  }
  # IAM's quotas: a managed policy holds at most 6,144 characters, a role's inline policies 10,240.
  assert {
    condition = alltrue([
      for name in ["plan", "apply", "apply_iam", "boundary"] : length(replace(output.policy_documents[name], "/\\s/", "")) <= 6144
    ])
    error_message = "Each managed policy fits IAM's 6,144-character limit."
  }
}

# The evaluator itself: an explicit Deny wins, a missing condition key fails a positive operator.
run "evaluator_reads_iam_semantics" {
  command = plan
  module {
    source = "../../tests/terraform-mocks/iam-evaluator"
  }
  variables {
    policies = [jsonencode({ Version = "2012-10-17", Statement = [
      { Effect = "Allow", Action = "s3:Get*", Resource = "arn:aws:s3:::b/*" },
      { Effect = "Deny", Action = "s3:GetObject", Resource = "arn:aws:s3:::b/secret/*" },
      { Effect = "Allow", Action = "iam:CreateRole", Resource = "*", Condition = { StringEquals = { "iam:PermissionsBoundary" = "arn:b" } } },
      { Effect = "Allow", NotAction = ["iam:*"], Resource = "arn:aws:ec2:*", Condition = { StringNotEquals = { "aws:x" = ["1"] } } },
    ] })]
    requests = {
      get          = { action = "s3:getobject", resource = "arn:aws:s3:::b/key" }
      denied       = { action = "s3:GetObject", resource = "arn:aws:s3:::b/secret/key" }
      other_bucket = { action = "s3:GetObject", resource = "arn:aws:s3:::bb/key" }
      no_boundary  = { action = "iam:CreateRole" }
      boundary     = { action = "iam:CreateRole", context = { "iam:PermissionsBoundary" = ["arn:b"] } }
      not_action   = { action = "ec2:RunInstances", resource = "arn:aws:ec2:x" }
      negated      = { action = "ec2:RunInstances", resource = "arn:aws:ec2:x", context = { "aws:x" = ["1"] } }
    }
  }

  assert {
    condition = output.allowed == {
      get = true, denied = false, other_bucket = false, no_boundary = false, boundary = true, not_action = true, negated = false
    }
    error_message = "The evaluator follows IAM: Deny wins, wildcards and conditions match as IAM matches them."
  }
}

run "apply_role_cannot_escalate" {
  command = plan
  module {
    source = "../../tests/terraform-mocks/iam-evaluator"
  }
  variables {
    policies = [run.roles.policy_documents.apply, run.roles.policy_documents.apply_iam, run.roles.policy_documents.apply_state]
    requests = {
      attach_admin_to_itself = {
        action  = "iam:AttachRolePolicy", resource = "arn:aws:iam::123456789012:role/genai-dev-github-apply"
        context = { "iam:PolicyARN" = ["arn:aws:iam::aws:policy/AdministratorAccess"], "iam:PermissionsBoundary" = ["arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"] }
      }
      attach_listed_to_plan_role = {
        action  = "iam:AttachRolePolicy", resource = "arn:aws:iam::123456789012:role/genai-dev-github-plan"
        context = { "iam:PolicyARN" = ["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"], "iam:PermissionsBoundary" = ["arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"] }
      }
      put_inline_on_itself     = { action = "iam:PutRolePolicy", resource = "arn:aws:iam::123456789012:role/genai-dev-github-apply", context = { "iam:PermissionsBoundary" = ["arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"] } }
      put_inline_on_plan_role  = { action = "iam:PutRolePolicy", resource = "arn:aws:iam::123456789012:role/genai-dev-github-plan" }
      retrust_plan_role        = { action = "iam:UpdateAssumeRolePolicy", resource = "arn:aws:iam::123456789012:role/genai-dev-github-plan" }
      new_version_of_own       = { action = "iam:CreatePolicyVersion", resource = "arn:aws:iam::123456789012:policy/genai-dev-github-apply" }
      new_version_of_plan      = { action = "iam:CreatePolicyVersion", resource = "arn:aws:iam::123456789012:policy/genai-dev-github-plan" }
      new_version_of_boundary  = { action = "iam:CreatePolicyVersion", resource = "arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary" }
      default_version_boundary = { action = "iam:SetDefaultPolicyVersion", resource = "arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary" }
      delete_boundary_policy   = { action = "iam:DeletePolicy", resource = "arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary" }
      remove_a_boundary        = { action = "iam:DeleteRolePermissionsBoundary", resource = "arn:aws:iam::123456789012:role/genai-dev-app" }
      swap_a_boundary          = { action = "iam:PutRolePermissionsBoundary", resource = "arn:aws:iam::123456789012:role/genai-dev-app", context = { "iam:PermissionsBoundary" = ["arn:aws:iam::aws:policy/AdministratorAccess"] } }
      pass_itself              = { action = "iam:PassRole", resource = "arn:aws:iam::123456789012:role/genai-dev-github-apply" }
      create_unbounded_role    = { action = "iam:CreateRole", resource = "arn:aws:iam::123456789012:role/genai-dev-app" }
      create_role_other_bound  = { action = "iam:CreateRole", resource = "arn:aws:iam::123456789012:role/genai-dev-app", context = { "iam:PermissionsBoundary" = ["arn:aws:iam::123456789012:policy/genai-prod-permissions-boundary"] } }
      create_role_outside      = { action = "iam:CreateRole", resource = "arn:aws:iam::123456789012:role/admin", context = { "iam:PermissionsBoundary" = ["arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"] } }
      create_user              = { action = "iam:CreateUser", resource = "arn:aws:iam::123456789012:user/genai-dev-x", context = { "iam:PermissionsBoundary" = ["arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"] } }
      attach_admin_to_app = {
        action  = "iam:AttachRolePolicy", resource = "arn:aws:iam::123456789012:role/genai-dev-app"
        context = { "iam:PolicyARN" = ["arn:aws:iam::aws:policy/AdministratorAccess"], "iam:PermissionsBoundary" = ["arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"] }
      }
      attach_listed_to_unbounded = { action = "iam:AttachRolePolicy", resource = "arn:aws:iam::123456789012:role/genai-dev-app", context = { "iam:PolicyARN" = ["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"] } }
      inline_on_unbounded        = { action = "iam:PutRolePolicy", resource = "arn:aws:iam::123456789012:role/genai-dev-app" }
      # What the stacks need stays allowed.
      create_bounded_role = { action = "iam:CreateRole", resource = "arn:aws:iam::123456789012:role/genai-dev-app", context = { "iam:PermissionsBoundary" = ["arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"] } }
      inline_on_bounded   = { action = "iam:PutRolePolicy", resource = "arn:aws:iam::123456789012:role/genai-dev-app", context = { "iam:PermissionsBoundary" = ["arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"] } }
      attach_node_policy = {
        action  = "iam:AttachRolePolicy", resource = "arn:aws:iam::123456789012:role/genai-dev-system-node"
        context = { "iam:PolicyARN" = ["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"], "iam:PermissionsBoundary" = ["arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"] }
      }
      attach_own_policy = {
        action  = "iam:AttachRolePolicy", resource = "arn:aws:iam::123456789012:role/genai-dev-cluster"
        context = { "iam:PolicyARN" = ["arn:aws:iam::123456789012:policy/genai-dev-cluster-ClusterEncryption"], "iam:PermissionsBoundary" = ["arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"] }
      }
      pass_app_role          = { action = "iam:PassRole", resource = "arn:aws:iam::123456789012:role/genai-dev-app" }
      disassociate_zone      = { action = "route53:DisassociateVPCFromHostedZone", resource = "arn:aws:route53:::hostedzone/Z0123456789" }
      create_cluster         = { action = "eks:CreateCluster", resource = "arn:aws:eks:us-east-1:123456789012:cluster/genai-dev" }
      other_region           = { action = "eks:CreateCluster", resource = "arn:aws:eks:eu-west-1:123456789012:cluster/genai-dev" }
      write_state            = { action = "s3:PutObject", resource = "arn:aws:s3:::genai-tfstate-123456789012-us-east-1/dev/platform.tfstate" }
      invocation_logging     = { action = "bedrock:PutModelInvocationLoggingConfiguration" }
      own_dashboard          = { action = "cloudwatch:PutDashboard", resource = "arn:aws:cloudwatch::123456789012:dashboard/genai-dev" }
      other_dashboard        = { action = "cloudwatch:PutDashboard", resource = "arn:aws:cloudwatch::123456789012:dashboard/genai-prod" }
      own_budget             = { action = "budgets:ModifyBudget", resource = "arn:aws:budgets::123456789012:budget/genai-dev-monthly" }
      alarm_topic            = { action = "sns:CreateTopic", resource = "arn:aws:sns:us-east-1:123456789012:genai-dev-alarms" }
      prometheus_workspace   = { action = "aps:CreateWorkspace", resource = "arn:aws:aps:us-east-1:123456789012:workspace/*" }
      prometheus_scraper     = { action = "aps:CreateScraper", resource = "arn:aws:aps:us-east-1:123456789012:scraper/*" }
      scraper_linked_role    = { action = "iam:CreateServiceLinkedRole", resource = "arn:aws:iam::123456789012:role/aws-service-role/scraper.aps.amazonaws.com/AWSServiceRoleForAmazonPrometheusScraper" }
      app_profile            = { action = "bedrock:CreateInferenceProfile", resource = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6" }
      app_profile_source     = { action = "bedrock:CreateInferenceProfile", resource = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-6" }
      invoke_other_region    = { action = "bedrock:InvokeModel", resource = "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-6" }
      write_other_envs_state = { action = "s3:PutObject", resource = "arn:aws:s3:::genai-tfstate-123456789012-us-east-1/prod/platform.tfstate" }
      state_key_through_s3   = { action = "kms:GenerateDataKey", resource = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000001", context = { "kms:ViaService" = ["s3.us-east-1.amazonaws.com"] } }
    }
  }

  assert {
    condition = [for name in [
      "attach_admin_to_itself", "attach_listed_to_plan_role", "put_inline_on_itself", "put_inline_on_plan_role", "retrust_plan_role",
      "new_version_of_own", "new_version_of_plan", "new_version_of_boundary", "default_version_boundary", "delete_boundary_policy",
      "remove_a_boundary", "pass_itself",
    ] : name if !output.denied_explicitly[name]] == []
    error_message = "Every change to the CI roles, their policies or the boundary, and removing any role's boundary, is denied explicitly."
  }
  assert {
    condition = [for name in [
      "swap_a_boundary", "create_unbounded_role", "create_role_other_bound", "create_role_outside", "create_user",
      "attach_admin_to_app", "attach_listed_to_unbounded", "inline_on_unbounded", "other_region", "write_other_envs_state",
      "invoke_other_region", "other_dashboard",
    ] : name if output.allowed[name]] == []
    error_message = "No role is created or changed without the boundary, no unlisted managed policy is attached, nothing outside the environment is touched."
  }
  assert {
    condition = [for name in [
      "create_bounded_role", "inline_on_bounded", "attach_node_policy", "attach_own_policy", "pass_app_role", "disassociate_zone",
      "create_cluster", "write_state", "state_key_through_s3", "invocation_logging", "app_profile", "app_profile_source",
      "own_dashboard", "own_budget", "alarm_topic", "prometheus_workspace", "prometheus_scraper", "scraper_linked_role",
    ] : name if !output.allowed[name]] == []
    error_message = "What the stacks do stays allowed: bounded roles, listed and own policies, passing platform roles, the VPC endpoint's hosted zone, the state, invocation logging and the apps' inference profiles."
  }
}

run "plan_role_reads_configuration_not_secrets" {
  command = plan
  module {
    source = "../../tests/terraform-mocks/iam-evaluator"
  }
  variables {
    policies = [run.roles.policy_documents.plan, run.roles.policy_documents.plan_state]
    requests = {
      describe_vpcs         = { action = "ec2:DescribeVpcs" }
      describe_cluster      = { action = "eks:DescribeCluster", resource = "arn:aws:eks:us-east-1:123456789012:cluster/genai-dev" }
      addon_versions        = { action = "eks:DescribeAddonVersions" }
      get_agent             = { action = "bedrock:GetAgent", resource = "arn:aws:bedrock:us-east-1:123456789012:agent/ABCDEFGHIJ" }
      own_parameter         = { action = "ssm:GetParameter", resource = "arn:aws:ssm:us-east-1:123456789012:parameter/genai/dev/platform/cluster-name" }
      manifest              = { action = "s3:GetObject", resource = "arn:aws:s3:::genai-dev-model-assets-123456789012/loyalty/manifest.json" }
      read_state            = { action = "s3:GetObject", resource = "arn:aws:s3:::genai-tfstate-123456789012-us-east-1/dev/workloads.tfstate" }
      write_lock            = { action = "s3:PutObject", resource = "arn:aws:s3:::genai-tfstate-123456789012-us-east-1/dev/workloads.tfstate.tflock" }
      decrypt_via_s3        = { action = "kms:Decrypt", resource = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111", context = { "kms:ViaService" = ["s3.us-east-1.amazonaws.com"] } }
      decrypt_via_bedrock   = { action = "kms:Decrypt", resource = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111", context = { "kms:ViaService" = ["bedrock.us-east-1.amazonaws.com"] } }
      decrypt_via_lambda    = { action = "kms:Decrypt", resource = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111", context = { "kms:ViaService" = ["lambda.us-east-1.amazonaws.com"] } }
      secret_value          = { action = "secretsmanager:GetSecretValue", resource = "arn:aws:secretsmanager:us-east-1:123456789012:secret:genai-dev-qdrant-AbCdEf" }
      other_env_parameter   = { action = "ssm:GetParameter", resource = "arn:aws:ssm:us-east-1:123456789012:parameter/genai/prod/platform/cluster-name" }
      foreign_parameter     = { action = "ssm:GetParameter", resource = "arn:aws:ssm:us-east-1:123456789012:parameter/other/secret" }
      decrypt_directly      = { action = "kms:Decrypt", resource = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111" }
      decrypt_via_secrets   = { action = "kms:Decrypt", resource = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111", context = { "kms:ViaService" = ["secretsmanager.us-east-1.amazonaws.com"] } }
      decrypt_via_dynamodb  = { action = "kms:Decrypt", resource = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111", context = { "kms:ViaService" = ["dynamodb.us-east-1.amazonaws.com"] } }
      read_other_envs_state = { action = "s3:GetObject", resource = "arn:aws:s3:::genai-tfstate-123456789012-us-east-1/prod/workloads.tfstate" }
      write_state           = { action = "s3:PutObject", resource = "arn:aws:s3:::genai-tfstate-123456789012-us-east-1/dev/workloads.tfstate" }
      foreign_object        = { action = "s3:GetObject", resource = "arn:aws:s3:::payroll/2026.csv" }
      table_items           = { action = "dynamodb:Scan", resource = "arn:aws:dynamodb:us-east-1:123456789012:table/genai-dev-cases" }
      stream_records        = { action = "kinesis:GetRecords", resource = "arn:aws:kinesis:us-east-1:123456789012:stream/genai-dev-reviews" }
      log_events            = { action = "logs:GetLogEvents", resource = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/x:log-stream:y" }
      invoke_model          = { action = "bedrock:InvokeModel", resource = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude" }
      create_role           = { action = "iam:CreateRole", resource = "arn:aws:iam::123456789012:role/genai-dev-x" }
      pull_image            = { action = "ecr:GetDownloadUrlForLayer", resource = "arn:aws:ecr:us-east-1:123456789012:repository/genai/dev/shop-rag" }
      describe_scraper      = { action = "aps:DescribeScraper", resource = "arn:aws:aps:us-east-1:123456789012:scraper/s-0123" }
      query_metrics         = { action = "aps:QueryMetrics", resource = "arn:aws:aps:us-east-1:123456789012:workspace/ws-0123" }
    }
  }

  assert {
    condition = [for name in [
      "describe_vpcs", "describe_cluster", "addon_versions", "get_agent", "own_parameter", "manifest", "read_state", "write_lock",
      "decrypt_via_s3", "decrypt_via_bedrock", "decrypt_via_lambda", "describe_scraper",
    ] : name if !output.allowed[name]] == []
    error_message = "The plan role reads what plans refresh: configuration, its environment's parameters, state and objects, keys through S3, SSM, Bedrock and Lambda."
  }
  assert {
    condition = [for name in [
      "secret_value", "other_env_parameter", "foreign_parameter", "decrypt_directly", "decrypt_via_secrets", "decrypt_via_dynamodb",
      "read_other_envs_state", "write_state", "foreign_object", "table_items", "stream_records", "log_events", "invoke_model",
      "create_role", "pull_image", "query_metrics",
    ] : name if output.allowed[name]] == []
    error_message = "The plan role reads no secret values, data, other environments' state or parameters, and changes nothing but its lock."
  }
}

run "trust_names_the_workflow_and_ref" {
  command = plan
  module {
    source = "../../tests/terraform-mocks/iam-evaluator"
  }
  variables {
    policies = [run.roles.policy_documents.apply_trust]
    requests = { for name, claims in {
      deploy_from_main   = { sub = "repo:example-org/genai-platform:environment:dev", job_workflow_ref = "example-org/genai-platform/.github/workflows/deploy.yml@refs/heads/main", ref = "refs/heads/main" }
      images_from_main   = { sub = "repo:example-org/genai-platform:environment:dev", job_workflow_ref = "example-org/genai-platform/.github/workflows/images.yml@refs/heads/main", ref = "refs/heads/main" }
      deploy_from_branch = { sub = "repo:example-org/genai-platform:environment:dev", job_workflow_ref = "example-org/genai-platform/.github/workflows/deploy.yml@refs/heads/feature", ref = "refs/heads/feature" }
      other_workflow     = { sub = "repo:example-org/genai-platform:environment:dev", job_workflow_ref = "example-org/genai-platform/.github/workflows/debug.yml@refs/heads/main", ref = "refs/heads/main" }
      plan_workflow      = { sub = "repo:example-org/genai-platform:environment:dev", job_workflow_ref = "example-org/genai-platform/.github/workflows/plan.yml@refs/heads/main", ref = "refs/heads/main" }
      drift_workflow     = { sub = "repo:example-org/genai-platform:environment:dev", job_workflow_ref = "example-org/genai-platform/.github/workflows/drift.yml@refs/heads/main", ref = "refs/heads/main" }
      fork               = { sub = "repo:someone/genai-platform:environment:dev", job_workflow_ref = "someone/genai-platform/.github/workflows/deploy.yml@refs/heads/main", ref = "refs/heads/main" }
      other_environment  = { sub = "repo:example-org/genai-platform:environment:prod", job_workflow_ref = "example-org/genai-platform/.github/workflows/deploy.yml@refs/heads/main", ref = "refs/heads/main" }
      no_workflow_claim  = { sub = "repo:example-org/genai-platform:environment:dev", ref = "refs/heads/main" }
      } : name => {
      action  = "sts:AssumeRoleWithWebIdentity"
      context = merge({ "token.actions.githubusercontent.com:aud" = ["sts.amazonaws.com"] }, { for claim, value in claims : "token.actions.githubusercontent.com:${claim}" => [value] })
    } }
  }

  assert {
    condition = output.allowed == {
      deploy_from_main = true, images_from_main = true, deploy_from_branch = false, other_workflow = false, plan_workflow = false,
      drift_workflow   = false, fork = false, other_environment = false, no_workflow_claim = false,
    }
    error_message = "The apply role trusts the deploy workflows of this repository run from main in the GitHub environment dev, nothing else."
  }
}

run "plan_trust_names_the_plan_workflow" {
  command = plan
  module {
    source = "../../tests/terraform-mocks/iam-evaluator"
  }
  variables {
    policies = [run.roles.policy_documents.plan_trust]
    requests = { for name, claims in {
      pull_request = { sub = "repo:example-org/genai-platform:environment:dev-plan", job_workflow_ref = "example-org/genai-platform/.github/workflows/plan.yml@refs/pull/42/merge" }
      drift_check  = { sub = "repo:example-org/genai-platform:environment:dev-plan", job_workflow_ref = "example-org/genai-platform/.github/workflows/drift.yml@refs/heads/main" }
      drift_as_dev = { sub = "repo:example-org/genai-platform:environment:dev", job_workflow_ref = "example-org/genai-platform/.github/workflows/drift.yml@refs/heads/main" }
      deploy       = { sub = "repo:example-org/genai-platform:environment:dev-plan", job_workflow_ref = "example-org/genai-platform/.github/workflows/deploy.yml@refs/heads/main" }
      apply_env    = { sub = "repo:example-org/genai-platform:environment:dev", job_workflow_ref = "example-org/genai-platform/.github/workflows/plan.yml@refs/pull/42/merge" }
      other_repo   = { sub = "repo:example-org/genai-platform:environment:dev-plan", job_workflow_ref = "example-org/other/.github/workflows/plan.yml@refs/heads/main" }
      } : name => {
      action  = "sts:AssumeRoleWithWebIdentity"
      context = merge({ "token.actions.githubusercontent.com:aud" = ["sts.amazonaws.com"] }, { for claim, value in claims : "token.actions.githubusercontent.com:${claim}" => [value] })
    } }
  }

  assert {
    condition     = output.allowed == { pull_request = true, drift_check = true, drift_as_dev = false, deploy = false, apply_env = false, other_repo = false }
    error_message = "The plan role trusts the plan and drift-check workflows of this repository in the GitHub environment dev-plan only."
  }
}

run "boundary_caps_every_platform_role" {
  command = plan
  module {
    source = "../../tests/terraform-mocks/iam-evaluator"
  }
  variables {
    # A role with administrator rights inside the boundary: what it can do is what the boundary allows.
    policies = [run.roles.policy_documents.boundary]
    requests = {
      invoke_model        = { action = "bedrock:InvokeModel", resource = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude" }
      node_network        = { action = "ec2:AssignPrivateIpAddresses" }
      pod_identity        = { action = "eks-auth:AssumeRoleForPodIdentity", resource = "arn:aws:eks:us-east-1:123456789012:cluster/genai-dev" }
      pass_platform_role  = { action = "iam:PassRole", resource = "arn:aws:iam::123456789012:role/genai-dev-bedrock-batch" }
      service_linked_role = { action = "iam:CreateServiceLinkedRole", resource = "arn:aws:iam::123456789012:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing" }
      create_role         = { action = "iam:CreateRole", resource = "arn:aws:iam::123456789012:role/genai-dev-x" }
      attach_policy       = { action = "iam:AttachRolePolicy", resource = "arn:aws:iam::123456789012:role/genai-dev-x" }
      put_policy          = { action = "iam:PutRolePolicy", resource = "arn:aws:iam::123456789012:role/genai-dev-x" }
      drop_boundary       = { action = "iam:DeleteRolePermissionsBoundary", resource = "arn:aws:iam::123456789012:role/genai-dev-x" }
      edit_boundary       = { action = "iam:CreatePolicyVersion", resource = "arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary" }
      create_access_key   = { action = "iam:CreateAccessKey", resource = "arn:aws:iam::123456789012:user/admin" }
      pass_admin_role     = { action = "iam:PassRole", resource = "arn:aws:iam::123456789012:role/Administrator" }
      assume_role         = { action = "sts:AssumeRole", resource = "arn:aws:iam::123456789012:role/Administrator" }
      organizations       = { action = "organizations:LeaveOrganization" }
      platform_object     = { action = "s3:GetObject", resource = "arn:aws:s3:::genai-dev-model-assets-123456789012/catalog.json" }
      other_env_state     = { action = "s3:GetObject", resource = "arn:aws:s3:::genai-tfstate-123456789012-us-east-1/prod/platform.tfstate" }
      list_state          = { action = "s3:ListBucket", resource = "arn:aws:s3:::genai-tfstate-123456789012-us-east-1" }
      decrypt_state       = { action = "kms:Decrypt", resource = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000001" }
      assume_signer       = { action = "sts:AssumeRole", resource = "arn:aws:iam::123456789012:role/genai-dev-case-sheets-signer" }
      remote_write        = { action = "aps:RemoteWrite", resource = "arn:aws:aps:us-east-1:123456789012:workspace/ws-0123" }
      assume_writer       = { action = "sts:AssumeRole", resource = "arn:aws:iam::123456789012:role/genai-dev-prometheus-writer" }
    }
  }

  assert {
    condition = output.allowed == {
      invoke_model      = true, node_network = true, pod_identity = true, pass_platform_role = true, service_linked_role = true,
      create_role       = false, attach_policy = false, put_policy = false, drop_boundary = false, edit_boundary = false,
      create_access_key = false, pass_admin_role = false, assume_role = false, organizations = false,
      platform_object   = true, other_env_state = false, list_state = false, decrypt_state = false,
      assume_signer     = true, remote_write = true, assume_writer = true,
    }
    error_message = "The boundary lets platform roles use the platform's services, pass and assume its roles, never change IAM or leave it, nor read any environment's Terraform state."
  }
}

run "rejects_a_malformed_repository" {
  command = plan
  variables {
    github_repository = "https://github.com/example-org/genai-platform"
  }
  expect_failures = [var.github_repository]
}

run "rejects_iam_as_a_managed_service" {
  command = plan
  variables {
    managed_services = ["ec2", "iam"]
  }
  expect_failures = [var.managed_services]
}

run "rejects_a_service_wildcard_without_resources" {
  command = plan
  variables {
    unscoped_actions = ["sts:GetCallerIdentity", "s3:*"]
  }
  expect_failures = [var.unscoped_actions]
}

run "rejects_a_plan_action_that_reads_secrets" {
  command = plan
  variables {
    plan_read_actions = ["ec2:Describe*", "secretsmanager:Get*"]
  }
  expect_failures = [var.plan_read_actions]
}

run "rejects_a_plan_action_that_reads_objects" {
  command = plan
  variables {
    plan_read_actions = ["s3:Get*"]
  }
  expect_failures = [var.plan_read_actions]
}

run "rejects_attaching_administrator_access" {
  command = plan
  variables {
    attachable_aws_managed_policies = ["AmazonEKSClusterPolicy", "AdministratorAccess"]
  }
  expect_failures = [var.attachable_aws_managed_policies]
}

run "rejects_iam_in_the_boundary" {
  command = plan
  variables {
    boundary_services = ["ec2", "iam"]
  }
  expect_failures = [var.boundary_services]
}

run "rejects_a_wildcard_deploy_branch" {
  command = plan
  variables {
    deploy_branch = "release/*"
  }
  expect_failures = [var.deploy_branch]
}

run "rejects_a_workflow_pattern" {
  command = plan
  variables {
    apply_workflows = ["*.yml"]
  }
  expect_failures = [var.apply_workflows]
}

run "rejects_a_parameter_path_with_a_trailing_slash" {
  command = plan
  variables {
    parameter_path = "/genai/dev/"
  }
  expect_failures = [var.parameter_path]
}

run "rejects_an_owner_over_39_characters" {
  command = plan
  variables {
    github_repository = "an-organisation-name-that-is-far-too-long/genai-platform"
  }
  expect_failures = [var.github_repository]
}

run "rejects_an_upper_case_prefix" {
  command = plan
  variables {
    name_prefix = "GenAI-dev"
  }
  expect_failures = [var.name_prefix]
}

run "rejects_an_environment_with_a_slash" {
  command = plan
  variables {
    environment = "dev/eu"
  }
  expect_failures = [var.environment]
}

run "rejects_a_state_bucket_with_upper_case" {
  command = plan
  variables {
    state_bucket = "GenAI-tfstate"
  }
  expect_failures = [var.state_bucket]
}

run "rejects_a_key_alias_for_the_state_key" {
  command = plan
  variables {
    state_kms_key_arn = "alias/genai-tfstate"
  }
  expect_failures = [var.state_kms_key_arn]
}

run "rejects_a_plan_workflow_pattern" {
  command = plan
  variables {
    plan_workflows = ["*"]
  }
  expect_failures = [var.plan_workflows]
}

run "rejects_a_decrypt_service_that_is_not_an_endpoint_prefix" {
  command = plan
  variables {
    plan_decrypt_via_services = ["s3.us-east-1.amazonaws.com"]
  }
  expect_failures = [var.plan_decrypt_via_services]
}
