output "dashboard_name" {
  description = "The environment's CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "alarm_topic_arn" {
  description = "The SNS topic every alarm and the cost budget notify (infra/streaming's alarms name it as <name>-alarms)."
  value       = aws_sns_topic.alarms.arn
}

output "alarm_names" {
  description = "The alarms this module creates (the smoke check looks for them)."
  value = concat(
    [for a in aws_cloudwatch_metric_alarm.model : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.flink_restarts : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.lambda_errors : a.alarm_name],
  )
}

output "budget_name" {
  description = "The environment's monthly cost budget."
  value       = aws_budgets_budget.environment.name
}
