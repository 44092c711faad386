# Planned once per environment with environments/<env>/bedrock.tfvars (scripts/tf-test).

mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

mock_provider "time" {}

override_data {
  target = data.aws_ssm_parameter.network["permissions-boundary-arn"]
  values = { value = "arn:aws:iam::123456789012:policy/genai-env-permissions-boundary" }
}

override_data {
  target = data.aws_ssm_parameter.network["vpc-id"]
  values = { value = "vpc-0123456789abcdef0" }
}

override_data {
  target = data.aws_ssm_parameter.network["private-subnet-ids"]
  values = { value = "subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2,subnet-0ccccccccccccccc3" }
}

variables {
  lambda_packages_dir = "tests/fixtures"
}

run "plan" {
  command = plan

  assert {
    condition     = !var.collection_public_access
    error_message = "Every environment keeps the vector collection private (Bedrock as a service, the index manager through the VPC endpoint)."
  }
  assert {
    condition     = local.force_destroy == !local.production
    error_message = "Only a development-tier environment lets a destroy delete its documents, case sheets and generated code."
  }
  assert {
    condition     = !local.case_table_deletion_protection || var.collection_standby_replicas
    error_message = "An environment that protects its case table runs the vector collection with standby replicas."
  }
  assert {
    condition = toset(keys(aws_ssm_parameter.outputs)) == toset([
      "knowledge-base-id", "knowledge-base-arn", "data-source-id", "documents-bucket", "documents-prefix",
      "kms-key-arn", "guardrail-id", "guardrail-arn", "guardrail-version", "agent-id", "agent-alias-id",
      "agent-alias-arn", "agent-kms-key-arn", "case-sheets-function", "code-generation-url",
    ])
    error_message = "The stack publishes what the workloads stack, the ingest job and the smoke check read."
  }
  assert {
    condition     = alltrue([for p in aws_ssm_parameter.outputs : startswith(p.name, "/genai/${var.environment}/bedrock/")])
    error_message = "Parameters live under /<project>/<environment>/bedrock/."
  }
  assert {
    condition     = aws_ssm_parameter.outputs["knowledge-base-id"].value == "KBMOCK0001" && aws_ssm_parameter.outputs["agent-alias-id"].value == "ALIASMOCK1"
    error_message = "The parameters carry the module outputs."
  }
}

# The stack's own variable validations (the modules test theirs), under each environment's tfvars.

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
    environment = "missing"
  }
  expect_failures = [var.environment]
}
