# Planned once per environment with environments/<env>/bootstrap.tfvars (scripts/tf-test).

mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

run "state_bucket" {
  command = plan

  assert {
    condition     = aws_s3_bucket.state.bucket == "genai-tfstate-123456789012-${module.environment.region}"
    error_message = "The bucket name is the one scripts/tf derives from the account and Region."
  }
  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.state.rule).apply_server_side_encryption_by_default).kms_master_key_id == aws_kms_key.state.arn
    error_message = "State is encrypted with the bootstrap key."
  }
  assert {
    condition     = toset([for s in data.aws_iam_policy_document.state_bucket.statement : s.sid if s.effect == "Deny"]) == toset(["DenyInsecureTransport", "DenyOtherEncryption", "DenyOtherKeys"])
    error_message = "The bucket refuses plain HTTP, SSE-S3 and other keys: a backend without kms_key_id cannot write state."
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.state_bucket.statement : one(s.condition).values if s.sid == "DenyOtherKeys"]) == tolist([aws_kms_key.state.arn])
    error_message = "Only the bootstrap key is accepted."
  }
  assert {
    condition     = aws_kms_alias.state.name == "alias/genai-tfstate"
    error_message = "scripts/tf finds the key by this alias."
  }
  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 1 && aws_iam_openid_connect_provider.github[0].url == "https://token.actions.githubusercontent.com" && aws_iam_openid_connect_provider.github[0].client_id_list == toset(["sts.amazonaws.com"])
    error_message = "The account's GitHub OIDC provider is created once, here."
  }
}

run "account_with_a_github_provider_already" {
  command = plan
  variables {
    create_github_oidc_provider = false
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 0
    error_message = "An existing provider is left alone."
  }
}

# The stack's own variable validations (the modules test theirs), under each environment's tfvars.

run "rejects_a_project_with_upper_case" {
  command = plan
  variables {
    project = "GenAI"
  }
  expect_failures = [var.project]
}


run "rejects_an_unknown_environment" {
  command = plan
  variables {
    environment = "missing"
  }
  expect_failures = [var.environment]
}

run "rejects_keeping_no_old_state" {
  command = plan
  variables {
    state_version_retention_days = 0
  }
  expect_failures = [var.state_version_retention_days]
}
