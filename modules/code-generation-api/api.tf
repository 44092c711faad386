locals {
  access_log_group = "/aws/apigateway/${var.name}-code-generation"
}

resource "aws_apigatewayv2_api" "this" {
  name          = "${var.name}-code-generation"
  description   = "Code generation with Bedrock (IAM-authorised)"
  protocol_type = "HTTP"
  tags          = var.tags

  # Browsers only from the listed origins; SigV4 needs its own headers through.
  dynamic "cors_configuration" {
    for_each = length(var.cors_allowed_origins) > 0 ? [1] : []
    content {
      allow_origins = var.cors_allowed_origins
      allow_methods = ["POST", "PUT", "OPTIONS"]
      allow_headers = ["authorization", "content-type", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"]
      max_age       = 600
    }
  }
}

resource "aws_apigatewayv2_integration" "function" {
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.function.invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = 30000
}

resource "aws_apigatewayv2_route" "this" {
  for_each = local.routes

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.value
  authorization_type = "AWS_IAM"
  target             = "integrations/${aws_apigatewayv2_integration.function.id}"
}

resource "aws_cloudwatch_log_group" "access" {
  name              = local.access_log_group
  retention_in_days = var.log_retention_days
  kms_key_id        = module.key.arn
  tags              = var.tags
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true
  tags        = var.tags

  default_route_settings {
    throttling_burst_limit = var.throttle.burst
    throttling_rate_limit  = var.throttle.rate
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    # Who called (the IAM identity), what, and how it ended; never the body.
    format = jsonencode({
      requestId        = "$context.requestId"
      requestTime      = "$context.requestTime"
      caller           = "$context.identity.userArn"
      sourceIp         = "$context.identity.sourceIp"
      routeKey         = "$context.routeKey"
      status           = "$context.status"
      responseLength   = "$context.responseLength"
      latencyMs        = "$context.responseLatency"
      integrationError = "$context.integrationErrorMessage"
    })
  }
}

resource "aws_lambda_permission" "api" {
  statement_id  = "AllowTheCodeGenerationApi"
  action        = "lambda:InvokeFunction"
  function_name = module.function.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/*/code-generation"
}

# Callers need execute-api:Invoke on the routes: attach this policy to their roles (or their
# permission sets) to let them use the API.
data "aws_iam_policy_document" "invoke" {
  statement {
    sid       = "CallTheCodeGenerationApi"
    actions   = ["execute-api:Invoke"]
    resources = ["${aws_apigatewayv2_api.this.execution_arn}/*/*/code-generation"]
  }
}

resource "aws_iam_policy" "invoke" {
  name        = "${var.name}-code-generation-invoke"
  description = "Call the ${var.name} code-generation API"
  policy      = data.aws_iam_policy_document.invoke.json
  tags        = var.tags
}

resource "aws_iam_role_policy_attachment" "invokers" {
  for_each = toset(var.invoker_role_names)

  role       = each.value
  policy_arn = aws_iam_policy.invoke.arn
}
