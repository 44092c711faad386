# Who may assume the CI roles, and what the apply role may change.

mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

variables {
  name_prefix       = "genai-dev"
  github_repository = "example-org/genai-platform"
  environment       = "dev"
  state_bucket      = "genai-tfstate-123456789012-us-east-1"
  state_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000001"
}

run "roles" {
  command = plan

  assert {
    condition = [for k in ["plan", "apply"] : one([
      for c in data.aws_iam_policy_document.trust[k].statement[0].condition : c.values if c.variable == "token.actions.githubusercontent.com:sub"
    ])] == [tolist(["repo:example-org/genai-platform:environment:dev-plan"]), tolist(["repo:example-org/genai-platform:environment:dev"])]
    error_message = "The plan role trusts jobs of the GitHub environment dev-plan, the apply role those of dev, of this repository only."
  }
  assert {
    condition     = one(data.aws_iam_policy_document.trust["apply"].statement[0].principals).identifiers == toset(["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"])
    error_message = "The roles trust the account's GitHub OIDC provider (from infra/bootstrap)."
  }
  assert {
    condition     = aws_iam_role_policy_attachment.plan_read_only.policy_arn == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    error_message = "The plan role reads, nothing more."
  }
  assert {
    condition = [for s in data.aws_iam_policy_document.state["plan"].statement : s.resources if s.sid == "WriteLockOnly"] == [
      toset(["arn:aws:s3:::genai-tfstate-123456789012-us-east-1/dev/*.tflock"]),
    ]
    error_message = "The plan role may write the environment's lock files only."
  }
  assert {
    condition = [for s in data.aws_iam_policy_document.state["apply"].statement : s.resources if s.sid == "WriteStateAndLock"] == [
      toset(["arn:aws:s3:::genai-tfstate-123456789012-us-east-1/dev/*"]),
    ]
    error_message = "The apply role writes only its environment's state."
  }
  assert {
    condition = one([for s in data.aws_iam_policy_document.apply.statement : s.resources if s.sid == "ManagePlatformIam"]) == toset([
      "arn:aws:iam::123456789012:role/genai-dev-*",
      "arn:aws:iam::123456789012:policy/genai-dev-*",
      "arn:aws:iam::123456789012:instance-profile/genai-dev-*",
    ])
    error_message = "IAM changes are confined to names under the environment's prefix."
  }
  assert {
    condition = alltrue([
      for s in data.aws_iam_policy_document.apply.statement :
      alltrue([for a in s.actions : a != "*" && !startswith(a, "iam:*") && !(a == "iam:CreateOpenIDConnectProvider")])
    ])
    error_message = "No wildcard IAM; the OIDC provider is bootstrap's, not the apply role's."
  }
  assert {
    condition = contains(flatten([for s in data.aws_iam_policy_document.apply.statement : tolist(s.actions)]), "route53:AssociateVPCWithHostedZone") && contains(
      var.unscoped_actions, "route53:CreateHostedZone"
    )
    error_message = "The apply role can create the private hosted zone of an OpenSearch Serverless VPC endpoint."
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
