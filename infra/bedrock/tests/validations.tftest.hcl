mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

mock_provider "time" {}

override_data {
  target = data.aws_ssm_parameter.network["vpc-id"]
  values = { value = "vpc-0123456789abcdef0" }
}

override_data {
  target = data.aws_ssm_parameter.network["private-subnet-ids"]
  values = { value = "subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2" }
}

variables {
  environment         = "dev"
  region              = "us-east-1"
  lambda_packages_dir = "tests/fixtures"
}

run "rejects_a_project_with_a_double_dash" {
  command = plan
  variables {
    project = "gen--ai"
  }
  expect_failures = [var.project]
}

run "rejects_an_unknown_environment" {
  command = plan
  variables {
    environment = "test"
  }
  expect_failures = [var.environment]
}

run "rejects_a_malformed_region" {
  command = plan
  variables {
    region = "useast1"
  }
  expect_failures = [var.region]
}

run "rejects_an_agent_profile_of_another_model" {
  command = plan
  variables {
    agent_model = {
      model_id            = "us.anthropic.claude-sonnet-4-6"
      foundation_model_id = "anthropic.claude-haiku-4-5-20251001-v1:0"
    }
  }
  expect_failures = [var.agent_model]
}
