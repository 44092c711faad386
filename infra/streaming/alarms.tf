# Three things can go wrong without anyone noticing: the application stops or keeps restarting,
# it falls behind and reviews wait in the stream, or reviews fail and pile up as dead letters.

# They notify the environment's alarm topic, which modules/observability creates as
# "<project>-<env>-alarms" in the operations stack. That stack is applied after this one and reads
# this one's SSM parameters, so the topic is named here, not read: CloudWatch takes an action ARN
# whose topic does not exist yet, the alarms reach it as soon as operations is applied, and the
# topic's policy admits every alarm named "<project>-<env>-*", these included.
locals {
  alarm_topic_arn = "arn:aws:sns:${module.environment.region}:${data.aws_caller_identity.current.account_id}:${local.name}-alarms"
  alarm_actions   = [local.alarm_topic_arn]
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

# Dead letters are counted where they land: OpenSearch Serverless publishes, per index, how many
# documents bulk requests wrote (AWS/AOSS IngestionDocumentRate, dimensions ClientId,
# CollectionId, CollectionName, IndexId, IndexName; "Relevant statistics: Sum"), which counts
# every dead letter the job, or a replay of it, stored. The job's own counter is no signal to
# alarm on: Managed Flink documents exporting the "kinesisanalytics" metric group for Java jobs,
# not for PyFlink's. The index's IndexId is the collection's to choose, so a Metrics Insights
# query selects the series by collection and index name.
resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  alarm_name          = "${local.app_name}-dead-letters"
  alarm_description   = "Documents were written to the ${local.dead_letter_index} index of ${local.collection_name} in the last 5 minutes: records could not be parsed, or Bedrock kept failing (README, troubleshooting: the review stream's dead letters)."
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  # No writes, no data: nothing went to the dead letters.
  treat_missing_data = "notBreaching"
  alarm_actions      = local.alarm_actions
  ok_actions         = local.alarm_actions
  tags               = local.tags

  metric_query {
    id          = "dead_letters_written"
    label       = "Dead letters written"
    expression  = "SELECT SUM(IngestionDocumentRate) FROM SCHEMA(\"AWS/AOSS\", ClientId, CollectionId, CollectionName, IndexId, IndexName) WHERE CollectionName = '${local.collection_name}' AND IndexName = '${local.dead_letter_index}'"
    period      = 300
    return_data = true
  }
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
