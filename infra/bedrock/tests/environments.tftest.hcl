# Planned once per environment with environments/<env>/bedrock.tfvars (scripts/tf-test).

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
    condition     = var.environment != "prod" || (var.case_table_deletion_protection && !var.force_destroy && var.collection_standby_replicas)
    error_message = "prod protects its case table, keeps its documents on destroy and runs the collection with standby replicas."
  }
  assert {
    condition = toset(keys(aws_ssm_parameter.outputs)) == toset([
      "knowledge-base-id", "knowledge-base-arn", "data-source-id", "documents-bucket", "documents-prefix",
      "kms-key-arn", "guardrail-id", "guardrail-arn", "guardrail-version", "agent-id", "agent-alias-id",
      "agent-alias-arn", "agent-kms-key-arn", "case-sheets-function",
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
