# The environment's dashboard, alarms and cost budget (README, "Where the metrics go on AWS"). The
# apps' model metrics are named by apps/genai_common/metering/metering.json (var.metering): this module
# refers to them by key, never by a name of its own (tests/infra/test_observability.py).

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.region
  namespace  = var.metering.namespace
  metrics    = var.metering.metrics
  # The apps' metrics of this environment, one series per app and model.
  schema = "SCHEMA(\"${local.namespace}\", ${join(", ", var.metering.dimensions)})"
  where  = "WHERE Environment = '${var.environment}'"

  # A widget per model metric, summed per app over its models.
  model_widgets = [
    { title = "Model calls per app", key = "calls", stat = "SUM" },
    { title = "Input tokens per app", key = "input_tokens", stat = "SUM" },
    { title = "Output tokens per app", key = "output_tokens", stat = "SUM" },
    { title = "Model errors per app", key = "errors", stat = "SUM" },
    { title = "Model throttles per app", key = "throttles", stat = "SUM" },
    { title = "Model latency per app (ms, average)", key = "latency", stat = "AVG" },
    { title = "Daily token budget used per app (%)", key = "budget_used_percent", stat = "MAX" },
  ]

  # The platform's services, as AWS publishes their health.
  service_widgets = concat(
    [for fn in var.watch.lambda_functions : {
      title   = "Lambda ${fn}"
      metrics = [for m in ["Invocations", "Errors", "Throttles"] : ["AWS/Lambda", m, "FunctionName", fn, { stat = "Sum" }]]
    }],
    var.watch.http_api_id == null ? [] : [{
      title   = "HTTP API (code generation)"
      metrics = [for m in ["Count", "4xx", "5xx"] : ["AWS/ApiGateway", m, "ApiId", var.watch.http_api_id, { stat = "Sum" }]]
    }],
    var.watch.stream_name == null ? [] : [{
      title = "Kinesis ${var.watch.stream_name}"
      metrics = [
        ["AWS/Kinesis", "IncomingRecords", "StreamName", var.watch.stream_name, { stat = "Sum" }],
        ["AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", "StreamName", var.watch.stream_name, { stat = "Maximum", yAxis = "right" }],
      ]
    }],
    var.watch.flink_application == null ? [] : [{
      title   = "Flink ${var.watch.flink_application}"
      metrics = [for m in ["uptime", "downtime", "fullRestarts"] : ["AWS/KinesisAnalytics", m, "Application", var.watch.flink_application, { stat = "Maximum" }]]
    }],
    var.watch.mwaa_environment == null ? [] : [{
      title   = "MWAA ${var.watch.mwaa_environment}"
      metrics = [["AWS/MWAA", "SchedulerHeartbeat", "Function", "Scheduler", "Environment", var.watch.mwaa_environment, { stat = "Sum" }]]
    }],
  )
  # OpenSearch Serverless names its series by collection id too: a query selects them by name.
  collection_widgets = var.watch.collection_name == null ? [] : [
    for m in ["SearchRequestErrors", "IngestionRequestErrors"] : {
      title = "OpenSearch ${var.watch.collection_name}: ${m}"
      query = "SELECT SUM(${m}) FROM SCHEMA(\"AWS/AOSS\", ClientId, CollectionId, CollectionName) WHERE CollectionName = '${var.watch.collection_name}'"
    }
  ]

  widgets = concat(
    [{
      type = "text", x = 0, y = 0, width = 24, height = 2
      properties = {
        markdown = "## ${var.name}: model calls, tokens and budgets per app (namespace ${local.namespace}, emitted by genai_common in each app's logs), then the platform's services. Bedrock's invocation logs: CloudWatch Logs /aws/bedrock/${var.name}/model-invocations."
      }
    }],
    [for i, w in local.model_widgets : {
      type = "metric", x = (i % 3) * 8, y = 2 + floor(i / 3) * 6, width = 8, height = 6
      properties = {
        title   = w.title
        region  = local.region
        view    = "timeSeries"
        stacked = false
        metrics = [[{
          expression = "SELECT ${w.stat}(${local.metrics[w.key].name}) FROM ${local.schema} ${local.where} GROUP BY App"
          id         = "q${i}"
          period     = 300
        }]]
      }
    }],
    [for i, w in local.service_widgets : {
      type       = "metric", x = (i % 3) * 8, y = 20 + floor(i / 3) * 6, width = 8, height = 6
      properties = { title = w.title, region = local.region, view = "timeSeries", period = 300, metrics = w.metrics }
    }],
    [for i, w in local.collection_widgets : {
      type       = "metric", x = (i % 2) * 12, y = 40 + floor(i / 2) * 6, width = 12, height = 6
      properties = { title = w.title, region = local.region, view = "timeSeries", metrics = [[{ expression = w.query, id = "aoss${i}", period = 300 }]] }
    }],
  )
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = local.widgets })
}

# --- Where alarms and budget alerts go ------------------------------------------------------

# CloudWatch alarms and AWS Budgets publish to the encrypted topic: both need the key.
data "aws_iam_policy_document" "key" {
  # checkov:skip=CKV_AWS_109:A key policy's resource is always the key itself ("*").
  # checkov:skip=CKV_AWS_111:A key policy's resource is always the key itself ("*").
  # checkov:skip=CKV_AWS_356:A key policy's resource is always the key itself ("*").
  statement {
    sid       = "AlarmsAndBudgetsPublishToTheTopic"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

module "key" {
  source = "../kms-key"

  alias            = "${var.name}-alarms"
  description      = "Encrypts the ${var.name} alarm topic"
  policy_documents = [data.aws_iam_policy_document.key.json]
  tags             = var.tags
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  kms_master_key_id = module.key.arn
  tags              = var.tags
}

data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "AlarmsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:aws:cloudwatch:${local.region}:${local.account_id}:alarm:${var.name}-*"]
    }
  }
  statement {
    sid       = "BudgetsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]
    principals {
      type        = "Service"
      identifiers = ["budgets.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.topic.json
}

resource "aws_sns_topic_subscription" "email" {
  count = var.alarm_email == null ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

# --- Alarms ----------------------------------------------------------------------------------

locals {
  # Each model alarm watches every app at once: one series per app (GROUP BY App), each a
  # contributor that alarms on its own.
  model_alarms = {
    errors = {
      description = "An app's model calls failed more than ${var.errors_per_5_minutes} times in 5 minutes (the alarm names the app)."
      query       = "SELECT SUM(${local.metrics.errors.name}) FROM ${local.schema} ${local.where} GROUP BY App"
      threshold   = var.errors_per_5_minutes
      operator    = "GreaterThanThreshold"
    }
    throttles = {
      description = "Bedrock throttled an app's model calls in the last 5 minutes: raise the quota or lower the traffic."
      query       = "SELECT SUM(${local.metrics.throttles.name}) FROM ${local.schema} ${local.where} GROUP BY App"
      threshold   = 0
      operator    = "GreaterThanThreshold"
    }
    budget = {
      description = "An app has used more than ${var.budget_alarm_percent} % of its daily token budget (apps/<package>/app.yaml budgets)."
      query       = "SELECT MAX(${local.metrics.budget_used_percent.name}) FROM ${local.schema} ${local.where} GROUP BY App"
      threshold   = var.budget_alarm_percent
      operator    = "GreaterThanOrEqualToThreshold"
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "model" {
  for_each = local.model_alarms

  alarm_name          = "${var.name}-model-${each.key}"
  alarm_description   = each.value.description
  evaluation_periods  = 1
  threshold           = each.value.threshold
  comparison_operator = each.value.operator
  # No calls, no data: nothing failed.
  treat_missing_data = "notBreaching"
  alarm_actions      = [aws_sns_topic.alarms.arn]
  ok_actions         = [aws_sns_topic.alarms.arn]
  tags               = var.tags

  metric_query {
    id          = "q"
    expression  = each.value.query
    period      = 300
    return_data = true
  }
}

# Flink restarts the job after a failure; more than one restart in 15 minutes is a crash loop.
resource "aws_cloudwatch_metric_alarm" "flink_restarts" {
  count = var.watch.flink_application == null ? 0 : 1

  alarm_name          = "${var.name}-flink-restarts"
  alarm_description   = "The ${var.watch.flink_application} application restarted more than once in 15 minutes."
  namespace           = "AWS/KinesisAnalytics"
  metric_name         = "fullRestarts"
  dimensions          = { Application = var.watch.flink_application }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 3
  threshold           = 1
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "lambda_errors" {
  for_each = toset(var.watch.lambda_functions)

  alarm_name          = "${var.name}-lambda-errors-${each.key}"
  alarm_description   = "The ${each.key} function failed in the last 5 minutes."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = each.key }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  tags                = var.tags
}

# --- Cost ----------------------------------------------------------------------------------

# Everything the stacks create carries the Environment tag (provider default_tags); the filter
# sees it once Environment is activated as a cost-allocation tag in Billing.
resource "aws_budgets_budget" "environment" {
  name         = "${var.name}-monthly"
  budget_type  = "COST"
  limit_amount = tostring(var.monthly_cost_limit_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  cost_filter {
    name   = "TagKeyValue"
    values = [join("$", ["user:Environment", var.environment])]
  }

  notification {
    comparison_operator       = "GREATER_THAN"
    threshold                 = 80
    threshold_type            = "PERCENTAGE"
    notification_type         = "ACTUAL"
    subscriber_sns_topic_arns = [aws_sns_topic.alarms.arn]
  }
  notification {
    comparison_operator       = "GREATER_THAN"
    threshold                 = 100
    threshold_type            = "PERCENTAGE"
    notification_type         = "FORECASTED"
    subscriber_sns_topic_arns = [aws_sns_topic.alarms.arn]
  }

  tags = var.tags
}
