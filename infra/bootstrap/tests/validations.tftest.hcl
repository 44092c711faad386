mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

variables {
  region = "us-east-1"
}

run "rejects_a_project_with_upper_case" {
  command = plan
  variables {
    project = "GenAI"
  }
  expect_failures = [var.project]
}

run "rejects_a_malformed_region" {
  command = plan
  variables {
    region = "us-east-1a"
  }
  expect_failures = [var.region]
}

run "rejects_keeping_no_old_state" {
  command = plan
  variables {
    state_version_retention_days = 0
  }
  expect_failures = [var.state_version_retention_days]
}
