mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

variables {
  alias       = "genai-dev-kb"
  description = "Encrypts the genai-dev knowledge base"
}

run "account_administered_key" {
  command = plan

  assert {
    condition     = aws_kms_key.this.enable_key_rotation && aws_kms_alias.this.name == "alias/genai-dev-kb"
    error_message = "The key rotates and carries its alias."
  }
  assert {
    condition     = one(data.aws_iam_policy_document.this.statement[0].principals).identifiers == toset(["arn:aws:iam::123456789012:root"]) && length(data.aws_iam_policy_document.this.statement) == 1
    error_message = "Only the account (through IAM) administers a key without log groups."
  }
}

run "key_for_log_groups" {
  command = plan
  variables {
    log_group_names = ["/aws/lambda/genai-dev-case-sheets"]
  }

  assert {
    condition = one([for s in data.aws_iam_policy_document.this.statement : one(s.condition).values if s.sid == "LogsEncryptTheListedLogGroups"]) == tolist([
      "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/genai-dev-case-sheets",
    ])
    error_message = "CloudWatch Logs may use the key for the listed log groups only."
  }
}

run "rejects_an_aws_alias" {
  command = plan
  variables {
    alias = "aws/genai"
  }
  expect_failures = [var.alias]
}

run "rejects_an_alias_with_a_space" {
  command = plan
  variables {
    alias = "genai dev"
  }
  expect_failures = [var.alias]
}

run "rejects_a_description_over_8192_characters" {
  command = plan
  variables {
    description = join(" ", [for i in range(1000) : "encrypts"])
  }
  expect_failures = [var.description]
}

run "rejects_a_malformed_log_group" {
  command = plan
  variables {
    log_group_names = ["aws lambda logs"]
  }
  expect_failures = [var.log_group_names]
}

run "rejects_a_deletion_window_under_7_days" {
  command = plan
  variables {
    deletion_window_days = 3
  }
  expect_failures = [var.deletion_window_days]
}
