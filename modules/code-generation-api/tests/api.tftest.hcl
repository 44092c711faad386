mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

override_resource {
  target          = aws_apigatewayv2_api.this
  override_during = plan
  values          = { execution_arn = "arn:aws:execute-api:us-east-1:123456789012:abcde12345" }
}

# Distinct ARNs for the two roles, so a trust or a grant naming the wrong one shows.
override_resource {
  target          = module.function.aws_iam_role.this
  override_during = plan
  values          = { arn = "arn:aws:iam::123456789012:role/genai-dev-code-generation-function" }
}

override_resource {
  target          = module.signer.aws_iam_role.this
  override_during = plan
  values          = { arn = "arn:aws:iam::123456789012:role/genai-dev-code-generation-signer" }
}

variables {
  permissions_boundary = "arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"
  name                 = "genai-dev"
  metered_as           = { app = "code-generation", environment = "dev" }
  models = [{
    label               = "Claude Sonnet 4.6"
    model_id            = "us.anthropic.claude-sonnet-4-6"
    foundation_model_id = "anthropic.claude-sonnet-4-6"
  }]
  guardrail_id      = "gr0mock0001"
  guardrail_version = "3"
  guardrail_arn     = "arn:aws:bedrock:us-east-1:123456789012:guardrail/gr0mock0001"
  package_path      = "tests/fixtures/code_generation.zip"
}

run "iam_authorised_routes" {
  command = plan

  assert {
    condition     = toset([for r in aws_apigatewayv2_route.this : r.route_key]) == toset(["POST /code-generation", "PUT /code-generation"]) && alltrue([for r in aws_apigatewayv2_route.this : r.authorization_type == "AWS_IAM"])
    error_message = "POST (and the seed's PUT) /code-generation, both signed with SigV4: no anonymous caller."
  }
  assert {
    condition     = aws_apigatewayv2_integration.function.payload_format_version == "2.0" && aws_apigatewayv2_integration.function.timeout_milliseconds == 30000
    error_message = "The Lambda gets version 2.0 events, within API Gateway's 30-second limit."
  }
  assert {
    condition     = aws_apigatewayv2_stage.default.default_route_settings[0].throttling_rate_limit == 5 && aws_apigatewayv2_stage.default.default_route_settings[0].throttling_burst_limit == 10 && can(jsondecode(aws_apigatewayv2_stage.default.access_log_settings[0].format).caller)
    error_message = "The routes are throttled and every call is logged with its caller."
  }
  assert {
    condition     = length(aws_apigatewayv2_api.this.cors_configuration) == 0
    error_message = "No browser origin is admitted unless listed."
  }
  assert {
    condition     = aws_lambda_permission.api.source_arn == "arn:aws:execute-api:us-east-1:123456789012:abcde12345/*/*/code-generation" && one(data.aws_iam_policy_document.invoke.statement).resources == toset(["arn:aws:execute-api:us-east-1:123456789012:abcde12345/*/*/code-generation"])
    error_message = "Only this API's route may invoke the function, and the invoke policy grants that route only."
  }
  assert {
    condition = { for s in data.aws_iam_policy_document.function.statement : s.sid => s.resources } == {
      InvokeCatalogInferenceProfiles     = toset(["arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-6"])
      InvokeCatalogModelsThroughProfiles = toset(["arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-6"])
      ApplyThePlatformGuardrail          = toset([var.guardrail_arn])
      AssumeTheSigningRole               = toset(["arn:aws:iam::123456789012:role/genai-dev-code-generation-signer"])
      WriteAndShareGeneratedCode         = toset(["${module.bucket.arn}/generated/*"])
      UseTheBucketKeyThroughS3           = toset([module.key.arn])
    }
    error_message = "The function calls only the catalog's models under the guardrail and writes only its prefix."
  }
}

run "links_signed_by_a_dedicated_role" {
  command = plan

  assert {
    condition     = one(one(module.signer.trust_statements).principals).identifiers == toset(["arn:aws:iam::123456789012:role/genai-dev-code-generation-function"]) && one(module.signer.trust_statements).actions == toset(["sts:AssumeRole"])
    error_message = "Only the function's execution role may assume the signing role."
  }
  assert {
    condition = { for st in module.signer.policy_statements : st.sid => [st.actions, st.resources] } == {
      ReadTheLinkedObjects = [toset(["s3:GetObject"]), toset(["${module.bucket.arn}/generated/*"])]
      DecryptThemThroughS3 = [toset(["kms:Decrypt"]), toset([module.key.arn])]
    }
    error_message = "The signing role may only read the generated code under the prefix (decrypting it through S3)."
  }
  assert {
    condition     = module.signer.permissions_boundary == var.permissions_boundary && module.signer.name == "genai-dev-code-generation-signer" && module.signer.max_session_duration == 3600
    error_message = "The signing role carries the platform boundary, under a name within IAM's 64 characters."
  }
  assert {
    condition     = local.environment.SIGNING_ROLE_ARN == "arn:aws:iam::123456789012:role/genai-dev-code-generation-signer"
    error_message = "The function is told which role signs its links."
  }
}

run "a_signing_role_name_fits_iam_at_the_longest_name" {
  command = plan
  variables {
    name = "a234567890123456789012345"
  }

  assert {
    condition     = length(module.signer.name) <= 64
    error_message = "The signing role's name fits IAM's 64 characters at the longest name allowed."
  }
}

run "listed_origins" {
  command = plan
  variables {
    cors_allowed_origins = ["https://tools.example.com"]
  }

  assert {
    condition     = aws_apigatewayv2_api.this.cors_configuration[0].allow_origins == toset(["https://tools.example.com"]) && contains(aws_apigatewayv2_api.this.cors_configuration[0].allow_headers, "x-amz-date")
    error_message = "A listed origin may call from a browser, with the SigV4 headers."
  }
}

run "rejects_a_wildcard_origin" {
  command = plan
  variables {
    cors_allowed_origins = ["*"]
  }
  expect_failures = [var.cors_allowed_origins]
}

run "rejects_a_deadline_past_the_gateway_limit" {
  command = plan
  variables {
    deadline_seconds = 29
  }
  expect_failures = [var.deadline_seconds]
}

run "rejects_a_foundation_model_as_a_profile" {
  command = plan
  variables {
    models = [{ label = "x", model_id = "anthropic.claude-sonnet-4-6", foundation_model_id = "anthropic.claude-sonnet-4-6" }]
  }
  expect_failures = [var.models]
}

run "rejects_a_name_with_capitals" {
  command = plan
  variables {
    name = "GenAI"
  }
  expect_failures = [var.name]
}

run "rejects_a_prefix_without_a_slash" {
  command = plan
  variables {
    prefix = "generated"
  }
  expect_failures = [var.prefix]
}

run "rejects_a_link_that_lives_for_a_day" {
  command = plan
  variables {
    download_url_seconds = 86400
  }
  expect_failures = [var.download_url_seconds]
}

run "rejects_a_zero_burst" {
  command = plan
  variables {
    throttle = { rate = 5, burst = 0 }
  }
  expect_failures = [var.throttle]
}

run "rejects_a_boundary_that_is_not_a_policy" {
  command = plan
  variables {
    permissions_boundary = "arn:aws:iam::123456789012:role/genai-dev-boundary"
  }
  expect_failures = [var.permissions_boundary]
}

run "calls_its_own_profile_and_charges_its_budget" {
  command = plan
  variables {
    models = [{
      label               = "Claude Sonnet 4.6"
      model_id            = "us.anthropic.claude-sonnet-4-6"
      foundation_model_id = "anthropic.claude-sonnet-4-6"
      profile_arn         = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6"
    }]
    token_budget = {
      table_name        = "genai-dev-token-budgets"
      policy_json       = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Charge\",\"Effect\":\"Allow\",\"Action\":\"dynamodb:UpdateItem\",\"Resource\":\"arn:aws:dynamodb:us-east-1:123456789012:table/genai-dev-token-budgets\"}]}"
      app_daily_tokens  = 1000000
      user_daily_tokens = 100000
    }
  }

  assert {
    condition     = jsondecode(local.environment.CHAT_MODELS) == [{ label = "Claude Sonnet 4.6", model_id = var.models[0].profile_arn, foundation_model_id = "anthropic.claude-sonnet-4-6" }]
    error_message = "The function calls the API's own profile and knows the model behind it."
  }
  assert {
    condition = one([for s in data.aws_iam_policy_document.function.statement : s.resources if s.sid == "InvokeCatalogInferenceProfiles"]) == toset([var.models[0].profile_arn]) && one(flatten([
      for s in data.aws_iam_policy_document.function.statement : [for c in s.condition : c.values] if s.sid == "InvokeCatalogModelsThroughProfiles"
    ])) == var.models[0].profile_arn
    error_message = "The role may invoke its own profile only, and the model only through it."
  }
  assert {
    condition     = local.environment.APP_NAME == var.metered_as.app && local.environment.PLATFORM_ENVIRONMENT == var.metered_as.environment && local.environment.TOKEN_BUDGET_TABLE == "genai-dev-token-budgets" && local.environment.APP_DAILY_TOKEN_BUDGET == "1000000" && local.environment.USER_DAILY_TOKEN_BUDGET == "100000" && data.aws_iam_policy_document.function.source_policy_documents == tolist([var.token_budget.policy_json])
    error_message = "The function is metered as its app in its environment, and gets the budget table, its limits and the policy to charge it."
  }
}

run "rejects_a_profile_arn_of_a_system_profile" {
  command = plan
  variables {
    models = [{
      label               = "x"
      model_id            = "us.anthropic.claude-sonnet-4-6"
      foundation_model_id = "anthropic.claude-sonnet-4-6"
      profile_arn         = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-6"
    }]
  }
  expect_failures = [var.models]
}

run "rejects_a_user_budget_above_the_apps" {
  command = plan
  variables {
    token_budget = {
      table_name        = "genai-dev-token-budgets"
      policy_json       = "{}"
      app_daily_tokens  = 1000
      user_daily_tokens = 2000
    }
  }
  expect_failures = [var.token_budget]
}

run "rejects_metering_as_an_undeclared_name" {
  command = plan
  variables {
    metered_as = { app = "Code_Generation", environment = "dev" }
  }
  expect_failures = [var.metered_as]
}
