mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

variables {
  permissions_boundary = "arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"
  name                 = "genai-dev-knowledge-base"
  description          = "Bedrock knowledge base genai-dev: embeds the documents bucket into its collection"
  resource_type        = "knowledge-base"
  policy_json          = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
}

run "confused_deputy_protection" {
  command = plan

  assert {
    condition = toset([for c in data.aws_iam_policy_document.assume_by_bedrock.statement[0].condition : "${c.variable}=${join(",", c.values)}"]) == toset([
      "aws:SourceAccount=123456789012",
      "aws:SourceArn=arn:aws:bedrock:us-east-1:123456789012:knowledge-base/*",
    ])
    error_message = "Bedrock may assume the role only for this account's knowledge bases."
  }
  assert {
    condition     = output.policy_json == var.policy_json
    error_message = "The permissions are attached as given."
  }
  assert {
    condition     = aws_iam_role.this.permissions_boundary == var.permissions_boundary
    error_message = "The role carries the platform's permissions boundary."
  }
}

run "rejects_a_role_name_over_64_characters" {
  command = plan
  variables {
    name = "genai-platform-staging-knowledge-base-service-role-for-the-documents"
  }
  expect_failures = [var.name]
}

run "rejects_typographic_quotes_in_the_description" {
  command = plan
  variables {
    description = "Bedrock’s knowledge base role"
  }
  expect_failures = [var.description]
}

run "rejects_an_unknown_resource_type" {
  command = plan
  variables {
    resource_type = "flow"
  }
  expect_failures = [var.resource_type]
}

run "rejects_a_boundary_that_is_not_a_policy" {
  command = plan
  variables {
    permissions_boundary = "arn:aws:iam::123456789012:role/genai-dev-boundary"
  }
  expect_failures = [var.permissions_boundary]
}
