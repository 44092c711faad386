mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

override_resource {
  target          = aws_sns_topic.alarms
  override_during = plan
  values          = { arn = "arn:aws:sns:us-east-1:123456789012:genai-dev-alarms" }
}

variables {
  name                   = "genai-dev"
  environment            = "dev"
  metering               = jsondecode(file("../../apps/genai_common/metering/metering.json"))
  monthly_cost_limit_usd = 500
  watch = {
    lambda_functions  = ["genai-dev-code-generation", "genai-dev-case-sheets"]
    http_api_id       = "abcde12345"
    stream_name       = "genai-dev-reviews"
    flink_application = "genai-dev-review-sentiment"
    collection_name   = "genai-dev-reviews"
    mwaa_environment  = "genai-dev-airflow"
  }
}

run "dashboard_alarms_and_budget" {
  command = plan

  assert {
    condition = alltrue([
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : alltrue([
        for m in w.properties.metrics : strcontains(m[0].expression, "SCHEMA(\"GenAIPlatform\", Environment, App, Model) WHERE Environment = 'dev' GROUP BY App")
      ]) if w.type == "metric" && can(regex("per app", w.properties.title))
    ]) && length([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w if can(regex("per app", try(w.properties.title, "")))]) == 7
    error_message = "Seven widgets show the apps' model metrics of this environment, one series per app."
  }
  assert {
    # Every GenAIPlatform metric the dashboard reads is one metering.json names.
    condition = alltrue([
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : contains(
        [for m in var.metering.metrics : m.name], regex("^SELECT [A-Z]+\\(([A-Za-z]+)\\)", w.properties.metrics[0][0].expression)[0]
      ) if w.type == "metric" && can(regex("per app", w.properties.title))
    ])
    error_message = "The dashboard reads the metric names metering.json declares."
  }
  assert {
    condition     = length([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w if startswith(try(w.properties.title, ""), "Lambda ")]) == 2 && length([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w if startswith(try(w.properties.title, ""), "OpenSearch ")]) == 2
    error_message = "The platform's functions and collection have their widgets."
  }
  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.model)) == toset(["errors", "throttles", "budget"]) && aws_cloudwatch_metric_alarm.model["budget"].threshold == 80 && strcontains(one(aws_cloudwatch_metric_alarm.model["budget"].metric_query).expression, "MAX(BudgetUsedPercent)")
    error_message = "Errors, throttles and 80 % of a daily budget alarm, per app."
  }
  assert {
    condition     = alltrue([for a in concat(values(aws_cloudwatch_metric_alarm.model), aws_cloudwatch_metric_alarm.flink_restarts, values(aws_cloudwatch_metric_alarm.lambda_errors)) : a.alarm_actions == toset([aws_sns_topic.alarms.arn])]) && length(aws_cloudwatch_metric_alarm.flink_restarts) == 1
    error_message = "Every alarm notifies the environment's topic."
  }
  assert {
    condition     = aws_sns_topic.alarms.kms_master_key_id == module.key.arn && length(aws_sns_topic_subscription.email) == 0
    error_message = "The topic is encrypted with its own key; no one is subscribed unless named."
  }
  assert {
    condition     = one(aws_budgets_budget.environment.cost_filter).values == tolist(["user:Environment$dev"]) && length(aws_budgets_budget.environment.notification) == 2
    error_message = "The budget counts the environment's tagged costs and alerts the topic."
  }
}

run "subscribes_the_given_address" {
  command = plan
  variables {
    alarm_email = "platform-team@example.com"
    watch       = {}
  }

  assert {
    condition     = aws_sns_topic_subscription.email[0].endpoint == "platform-team@example.com" && length(aws_cloudwatch_metric_alarm.flink_restarts) == 0
    error_message = "The address gets the alarms; services not deployed are not watched."
  }
}

run "rejects_an_address_without_a_domain" {
  command = plan
  variables {
    alarm_email = "platform-team"
  }
  expect_failures = [var.alarm_email]
}

run "rejects_a_spec_without_budget_metrics" {
  command = plan
  variables {
    metering = { namespace = "GenAIPlatform", dimensions = ["Environment", "App", "Model"], metrics = { calls = { name = "ModelCalls", unit = "Count" } } }
  }
  expect_failures = [var.metering]
}

run "rejects_a_budget_alarm_over_100" {
  command = plan
  variables {
    budget_alarm_percent = 120
  }
  expect_failures = [var.budget_alarm_percent]
}

run "rejects_a_fractional_error_count" {
  command = plan
  variables {
    errors_per_5_minutes = 2.5
  }
  expect_failures = [var.errors_per_5_minutes]
}

run "rejects_a_zero_cost_limit" {
  command = plan
  variables {
    monthly_cost_limit_usd = 0
  }
  expect_failures = [var.monthly_cost_limit_usd]
}

run "rejects_a_name_with_capitals" {
  command = plan
  variables {
    name = "GenAI-dev"
  }
  expect_failures = [var.name]
}
