mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

mock_provider "time" {}

variables {
  name                 = "genai-dev"
  log_retention_days   = 30
  permissions_boundary = "arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"
}

run "metadata_only_by_default" {
  command = plan

  assert {
    condition     = !output.text_logged && !one(aws_bedrock_model_invocation_logging_configuration.this.logging_config).image_data_delivery_enabled
    error_message = "Without log_text the records carry metadata only."
  }
  assert {
    condition     = one(one(aws_bedrock_model_invocation_logging_configuration.this.logging_config).s3_config).bucket_name == module.bucket.name && local.bucket == "genai-dev-model-invocations-123456789012" && one(one(aws_bedrock_model_invocation_logging_configuration.this.logging_config).cloudwatch_config).log_group_name == "/aws/bedrock/genai-dev/model-invocations"
    error_message = "Records go to the module's bucket and log group."
  }
  assert {
    condition     = aws_cloudwatch_log_group.this.retention_in_days == 30 && aws_cloudwatch_log_group.this.kms_key_id == module.key.arn
    error_message = "The log group keeps the records for the given days, under the module's key."
  }
  assert {
    condition     = aws_iam_role.deliver.permissions_boundary == var.permissions_boundary
    error_message = "The delivery role carries the platform's boundary."
  }
  assert {
    condition = alltrue([
      for doc in [data.aws_iam_policy_document.assume_by_bedrock, data.aws_iam_policy_document.bucket, data.aws_iam_policy_document.key] :
      alltrue([for s in doc.statement : toset([for c in s.condition : c.variable]) == toset(["aws:SourceAccount", "aws:SourceArn"])])
    ])
    error_message = "Bedrock acts only for this account's calls in this Region (confused deputy)."
  }
  assert {
    condition     = alltrue([for r in one(data.aws_iam_policy_document.bucket.statement).resources : strcontains(r, "/AWSLogs/123456789012/BedrockModelInvocationLogs/")])
    error_message = "Bedrock may write only where the logging guide says it writes."
  }
  assert {
    condition     = one(data.aws_iam_policy_document.deliver.statement).actions == toset(["logs:CreateLogStream", "logs:PutLogEvents"])
    error_message = "The delivery role writes log streams and nothing else."
  }
}

run "text_where_asked" {
  command = plan
  variables {
    log_text = true
  }

  assert {
    condition     = output.text_logged
    error_message = "log_text delivers the prompts and answers."
  }
}

run "rejects_a_retention_cloudwatch_refuses" {
  command = plan
  variables {
    log_retention_days = 31
  }
  expect_failures = [var.log_retention_days]
}

run "rejects_a_name_too_long_for_the_bucket" {
  command = plan
  variables {
    name = "genai-a-name-much-too-long-for-s3-buckets"
  }
  expect_failures = [var.name]
}

run "rejects_a_boundary_that_is_not_a_policy" {
  command = plan
  variables {
    permissions_boundary = "genai-dev-permissions-boundary"
  }
  expect_failures = [var.permissions_boundary]
}
