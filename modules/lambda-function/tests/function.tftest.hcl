mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

variables {
  permissions_boundary = "arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"
  name                 = "genai-dev-case-sheets"
  description          = "Bedrock Agent action group"
  handler              = "case_sheets.handler.lambda_handler"
  package_path         = "tests/fixtures/function.zip"
  policy_json          = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
  kms_key_arn          = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  environment          = { CASE_TABLE = "genai-dev-case-sheets" }
}

run "function_outside_a_vpc" {
  command = plan

  assert {
    condition     = aws_lambda_function.this.runtime == "python3.13" && aws_lambda_function.this.architectures == tolist(["arm64"]) && aws_lambda_function.this.tracing_config[0].mode == "Active"
    error_message = "Python 3.13 on arm64, traced."
  }
  assert {
    condition     = aws_iam_role.this.name == "genai-dev-case-sheets-function" && aws_cloudwatch_log_group.this.name == "/aws/lambda/genai-dev-case-sheets" && aws_cloudwatch_log_group.this.kms_key_id == var.kms_key_arn
    error_message = "Role and log group are named after the function; the logs use the given key."
  }
  assert {
    condition     = aws_iam_role.this.permissions_boundary == var.permissions_boundary
    error_message = "The function's role carries the platform's permissions boundary."
  }
  assert {
    condition     = data.aws_iam_policy_document.this.source_policy_documents == tolist([var.policy_json]) && toset([for s in data.aws_iam_policy_document.this.statement : s.sid]) == toset(["WriteItsLogs", "SendTraces"])
    error_message = "The role gets the caller's statements, its logs and its traces, nothing else."
  }
  assert {
    condition     = length(aws_iam_role_policy_attachment.vpc) == 0 && length(aws_lambda_function.this.vpc_config) == 0
    error_message = "No VPC attachment unless asked."
  }
  assert {
    condition     = aws_lambda_function.this.reserved_concurrent_executions == null && aws_lambda_function.this.environment[0].variables["CASE_TABLE"] == "genai-dev-case-sheets"
    error_message = "No reservation by default; the environment is passed."
  }
}

run "function_in_a_vpc" {
  command = plan
  variables {
    environment = {}
    vpc         = { subnet_ids = ["subnet-0aaaaaaaaaaaaaaa1"], security_group_ids = ["sg-0123456789abcdef0"] }
  }

  assert {
    condition     = length(aws_iam_role_policy_attachment.vpc) == 1 && endswith(aws_iam_role_policy_attachment.vpc[0].policy_arn, ":policy/service-role/AWSLambdaVPCAccessExecutionRole")
    error_message = "A VPC function may manage its network interfaces."
  }
  assert {
    condition     = aws_lambda_function.this.vpc_config[0].subnet_ids == toset(["subnet-0aaaaaaaaaaaaaaa1"]) && length(aws_lambda_function.this.environment) == 0
    error_message = "The function runs in the given subnets; no empty environment block."
  }
}

run "rejects_a_name_too_long_for_its_role" {
  command = plan
  variables {
    name = "genai-platform-staging-competency-case-sheets-action-grp"
  }
  expect_failures = [var.name]
}

run "rejects_a_description_over_256_characters" {
  command = plan
  variables {
    description = join(" ", [for i in range(60) : "lambda"])
  }
  expect_failures = [var.description]
}

run "rejects_a_missing_package" {
  command = plan
  variables {
    package_path = "dist/case_sheets.zip"
  }
  expect_failures = [var.package_path]
}

run "rejects_a_handler_without_a_function" {
  command = plan
  variables {
    handler = "handler"
  }
  expect_failures = [var.handler]
}

run "rejects_an_alias_instead_of_a_key_arn" {
  command = plan
  variables {
    kms_key_arn = "alias/genai-dev-case-sheets"
  }
  expect_failures = [var.kms_key_arn]
}

run "rejects_an_environment_key_with_a_dash" {
  command = plan
  variables {
    environment = { "CASE-TABLE" = "x" }
  }
  expect_failures = [var.environment]
}

run "rejects_a_timeout_over_15_minutes" {
  command = plan
  variables {
    timeout = 901
  }
  expect_failures = [var.timeout]
}

run "rejects_memory_under_128_mb" {
  command = plan
  variables {
    memory = 64
  }
  expect_failures = [var.memory]
}

run "rejects_a_zero_reservation" {
  command = plan
  variables {
    reserved_concurrency = 0
  }
  expect_failures = [var.reserved_concurrency]
}

run "rejects_a_vpc_without_security_groups" {
  command = plan
  variables {
    vpc = { subnet_ids = ["subnet-0aaaaaaaaaaaaaaa1"], security_group_ids = [] }
  }
  expect_failures = [var.vpc]
}

run "rejects_a_retention_cloudwatch_does_not_offer" {
  command = plan
  variables {
    log_retention_days = 100
  }
  expect_failures = [var.log_retention_days]
}

run "rejects_a_boundary_that_is_not_a_policy" {
  command = plan
  variables {
    permissions_boundary = "arn:aws:iam::123456789012:role/genai-dev-boundary"
  }
  expect_failures = [var.permissions_boundary]
}
