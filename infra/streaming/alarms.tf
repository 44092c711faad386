# Three things can go wrong without anyone noticing: the application stops or keeps restarting,
# it falls behind and reviews wait in the stream, or reviews fail and pile up as dead letters.

locals {
  alarm_actions = var.alarm_topic_arn == null ? [] : [var.alarm_topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "iterator_age" {
  alarm_name          = "${local.app_name}-behind"
  alarm_description   = "A reader of ${aws_kinesis_stream.reviews.name} is more than ${var.iterator_age_alarm_minutes} minutes behind: the application (or the archive) cannot keep up."
  namespace           = "AWS/Kinesis"
  metric_name         = "GetRecords.IteratorAgeMilliseconds"
  dimensions          = { StreamName = aws_kinesis_stream.reviews.name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  threshold           = var.iterator_age_alarm_minutes * 60000
  comparison_operator = "GreaterThanThreshold"
  # The metric is the stream's, over every reader (the archive's Firehose too): no reads at all is
  # as bad as slow reads. A stopped application alone is the "stopped" alarm's.
  treat_missing_data = "breaching"
  alarm_actions      = local.alarm_actions
  ok_actions         = local.alarm_actions
  tags               = local.tags
}

# The job counts the records it sends to the dead letters in the application's own metrics
# group ("kinesisanalytics" → namespace AWS/KinesisAnalytics, dimension Application).
resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  alarm_name          = "${local.app_name}-dead-letters"
  alarm_description   = "Reviews went to the ${local.dead_letter_index} index in the last 5 minutes: Bedrock kept failing, or records could not be parsed (README: the dead-letter path)."
  namespace           = "AWS/KinesisAnalytics"
  metric_name         = "deadLetters"
  dimensions          = { Application = local.app_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "downtime" {
  alarm_name          = "${local.app_name}-down"
  alarm_description   = "The ${local.app_name} application is not running (restarting or failed)."
  namespace           = "AWS/KinesisAnalytics"
  metric_name         = "downtime"
  dimensions          = { Application = local.app_name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

# A stopped (or never started) application publishes no metrics at all, which the alarms above
# would take for a quiet one: its uptime missing is the alarm. Only once there is an application.
resource "aws_cloudwatch_metric_alarm" "stopped" {
  count = length(aws_kinesisanalyticsv2_application.reviews)

  alarm_name          = "${local.app_name}-stopped"
  alarm_description   = "The ${local.app_name} application reports no uptime: it is stopped or has not started."
  namespace           = "AWS/KinesisAnalytics"
  metric_name         = "uptime"
  dimensions          = { Application = local.app_name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}
