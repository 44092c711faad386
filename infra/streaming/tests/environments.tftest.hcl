# Planned once per environment with environments/<env>/streaming.tfvars (scripts/tf-test).

mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

override_data {
  target = data.aws_ssm_parameter.network["vpc-id"]
  values = { value = "vpc-0123456789abcdef0" }
}

override_data {
  target = data.aws_ssm_parameter.network["vpc-cidr"]
  values = { value = "10.40.0.0/16" }
}

override_data {
  target = data.aws_ssm_parameter.network["private-subnet-ids"]
  values = { value = "subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2,subnet-0ccccccccccccccc3" }
}

override_data {
  target = data.aws_iam_policy_document.app
  values = { json = "{\"Id\":\"app\"}" }
}

override_resource {
  target          = module.collection.aws_opensearchserverless_collection.this
  override_during = plan
  values = {
    arn                 = "arn:aws:aoss:us-east-1:123456789012:collection/reviewsmock0001"
    collection_endpoint = "https://reviewsmock0001.us-east-1.aoss.amazonaws.com"
  }
}

override_resource {
  target          = aws_kinesis_stream.reviews
  override_during = plan
  values          = { arn = "arn:aws:kinesis:us-east-1:123456789012:stream/genai-env-reviews" }
}

override_resource {
  target          = module.collection.aws_opensearchserverless_vpc_endpoint.this
  override_during = plan
  values          = { id = "vpce-0123456789abcdef0" }
}

variables {
  lambda_packages_dir = "tests/fixtures"
}

run "plan" {
  command = plan

  assert {
    condition     = aws_kinesis_stream.reviews.encryption_type == "KMS" && aws_kinesis_stream.reviews.kms_key_id == module.key.arn && aws_kinesis_stream.reviews.stream_mode_details[0].stream_mode == var.stream_mode
    error_message = "The review stream is encrypted with the stack's key, in the environment's capacity mode."
  }
  assert {
    condition     = module.collection.type == "SEARCH"
    error_message = "A SEARCH collection: time-series collections refuse caller-chosen document ids, which make a replay overwrite."
  }
  assert {
    condition     = jsondecode(module.collection.network_policy)[0].AllowFromPublic == false && jsondecode(module.collection.network_policy)[0].SourceVPCEs == ["vpce-0123456789abcdef0"]
    error_message = "The collection is reachable only through its VPC endpoint."
  }
  assert {
    condition     = alltrue([for s in jsondecode(module.collection.data_access_policy) : !contains(s.Principal, "*")]) && length(jsondecode(module.collection.data_access_policy)) == 5
    error_message = "The data access policy names its four roles (the MWAA role in two statements), never any principal."
  }
  assert {
    condition     = jsondecode(module.collection.data_access_policy)[1].Principal == ["arn:aws:iam::123456789012:role/genai-${var.environment}-review-dashboard"] && alltrue([for r in jsondecode(module.collection.data_access_policy)[1].Rules : !contains(r.Permission, "aoss:WriteDocument")])
    error_message = "The dashboard's role (the workloads stack's review-dashboard) may only read."
  }
  assert {
    condition = jsondecode(module.collection.index_inputs["processed_reviews"]).body.mappings.properties == {
      reviewId  = { type = "integer" }
      userId    = { type = "keyword" }
      summary   = { type = "keyword" }
      sentiment = { type = "keyword" }
      dateTime  = { type = "date" }
    } && jsondecode(module.collection.index_inputs["processed_reviews"]).endpoint == "https://reviewsmock0001.us-east-1.aoss.amazonaws.com"
    error_message = "Terraform creates processed_reviews with the seed's mapping, in the results collection."
  }
  assert {
    condition     = toset(keys(module.collection.index_inputs)) == toset(["processed_reviews", "batch_reviews", "review_dead_letters"])
    error_message = "The indexes exist before the application (and the batch DAG) write."
  }
  assert {
    condition     = length(aws_kinesisanalyticsv2_application.reviews) == 0 && length(aws_s3_object.flink_app) == 0 && !contains(keys(aws_ssm_parameter.outputs), "application-name")
    error_message = "Without the built zip there is no application yet; everything it needs is planned."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.iterator_age.threshold == var.iterator_age_alarm_minutes * 60000 && aws_cloudwatch_metric_alarm.iterator_age.treat_missing_data == "breaching" && aws_cloudwatch_metric_alarm.dead_letters.metric_name == "deadLetters" && length(aws_cloudwatch_metric_alarm.stopped) == 0
    error_message = "Alarms watch how far behind the readers are and the dead letters; no stopped alarm without an application."
  }
  assert {
    condition     = alltrue([for p in aws_ssm_parameter.outputs : startswith(p.name, "/genai/${var.environment}/streaming/")]) && aws_ssm_parameter.outputs["stream-name"].value == "genai-${var.environment}-reviews"
    error_message = "The stack publishes the stream and the collection under /<project>/<environment>/streaming/."
  }
  assert {
    condition     = var.environment != "prod" || (var.stream_retention_hours >= 168 && var.collection_standby_replicas && !var.force_destroy)
    error_message = "prod keeps a week of reviews to replay, runs the collection with standby replicas and keeps its code bucket on destroy."
  }
}

run "with_the_application" {
  command = plan
  variables {
    flink_app_package = "tests/fixtures/review-stream-flink.zip"
  }

  assert {
    condition     = aws_kinesisanalyticsv2_application.reviews[0].runtime_environment == "FLINK-2_2" && aws_kinesisanalyticsv2_application.reviews[0].start_application
    error_message = "The application runs on FLINK-2_2 (Python async functions) and starts."
  }
  assert {
    condition     = one([for g in aws_kinesisanalyticsv2_application.reviews[0].application_configuration[0].environment_properties[0].property_group : g.property_map if g.property_group_id == "kinesis.analytics.flink.run.options"]) == tomap({ python = "main.py", jarfile = "lib/pyflink-dependencies.jar", pyFiles = "lib/python" })
    error_message = "The service runs the Python job with the connector jars of the zip."
  }
  assert {
    condition     = one([for g in aws_kinesisanalyticsv2_application.reviews[0].application_configuration[0].environment_properties[0].property_group : g.property_map if g.property_group_id == "ReviewStream"]).CAPACITY == tostring(var.async_capacity) && one([for g in aws_kinesisanalyticsv2_application.reviews[0].application_configuration[0].environment_properties[0].property_group : g.property_map if g.property_group_id == "ReviewStream"]).MODEL_ID == var.model.model_id
    error_message = "The job's capacity, timeout and model come from the stack's variables."
  }
  assert {
    condition     = aws_ssm_parameter.outputs["application-name"].value == "genai-${var.environment}-review-sentiment"
    error_message = "With an application, its name is published for the smoke check."
  }
  assert {
    condition     = length(aws_cloudwatch_metric_alarm.stopped) == 1 && aws_cloudwatch_metric_alarm.stopped[0].metric_name == "uptime" && aws_cloudwatch_metric_alarm.stopped[0].treat_missing_data == "breaching"
    error_message = "With an application, an alarm says when it stops (no uptime reported)."
  }
  assert {
    condition     = aws_kinesisanalyticsv2_application.reviews[0].application_configuration[0].application_snapshot_configuration[0].snapshots_enabled
    error_message = "The application's state is snapshotted across updates."
  }
  assert {
    condition     = startswith(aws_s3_object.flink_app[0].key, "review-sentiment/") && aws_kinesisanalyticsv2_application.reviews[0].application_configuration[0].application_code_configuration[0].code_content[0].s3_content_location[0].file_key == aws_s3_object.flink_app[0].key
    error_message = "The application runs the uploaded build, named by its hash."
  }
  assert {
    condition     = length(aws_kinesisanalyticsv2_application.reviews[0].application_configuration[0].vpc_configuration[0].subnet_ids) == 3
    error_message = "The application runs in the private subnets, to reach the collection's endpoint."
  }
}

run "app_policy" {
  command = plan

  assert {
    condition = { for s in data.aws_iam_policy_document.app.statement : s.sid => s.resources } == {
      ReadTheReviewStream             = toset([aws_kinesis_stream.reviews.arn])
      ReadTheCode                     = toset(["${module.code_bucket.arn}/review-sentiment/*"])
      UseTheKey                       = toset([module.key.arn])
      InvokeTheModelThroughItsProfile = toset(["arn:aws:bedrock:us-east-1:123456789012:inference-profile/${var.model.model_id}"])
      InvokeTheModelBehindTheProfile  = toset(["arn:aws:bedrock:*::foundation-model/${var.model.foundation_model_id}"])
      WriteResults                    = toset(["arn:aws:aoss:us-east-1:123456789012:collection/reviewsmock0001"])
      WriteLogs                       = toset(["${aws_cloudwatch_log_group.app.arn}:*"])
      ListLogGroups                   = toset(["arn:aws:logs:us-east-1:123456789012:log-group:*"])
      DescribeTheVpc                  = toset(["*"])
      UseTheVpcSubnetsAndGroups       = toset(["arn:aws:ec2:us-east-1:123456789012:subnet/*", "arn:aws:ec2:us-east-1:123456789012:security-group/*"])
      AttachNetworkInterfaces         = toset(["arn:aws:ec2:us-east-1:123456789012:network-interface/*"])
    }
    error_message = "The application reads its stream and code, calls one model through its profile, writes to its collection and logs, and attaches interfaces in its VPC only."
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.app.statement : s.actions if s.sid == "DescribeTheVpc"]) == toset(["ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces"])
    error_message = "Only Describe actions go on '*' (they take no resource)."
  }
}

# The stack's own variable validations, under each environment's tfvars.

run "rejects_an_unknown_stream_mode" {
  command = plan
  variables {
    stream_mode = "SERVERLESS"
  }
  expect_failures = [var.stream_mode]
}

run "rejects_zero_shards" {
  command = plan
  variables {
    stream_shards = 0
  }
  expect_failures = [var.stream_shards]
}

run "rejects_a_retention_under_a_day" {
  command = plan
  variables {
    stream_retention_hours = 12
  }
  expect_failures = [var.stream_retention_hours]
}

run "rejects_a_foundation_model_as_a_profile" {
  command = plan
  variables {
    model = { model_id = "anthropic.claude-haiku-4-5-20251001-v1:0", foundation_model_id = "anthropic.claude-haiku-4-5-20251001-v1:0" }
  }
  expect_failures = [var.model]
}

run "rejects_a_parallelism_of_zero" {
  command = plan
  variables {
    flink_parallelism = 0
  }
  expect_failures = [var.flink_parallelism]
}

run "rejects_too_many_tasks_per_kpu" {
  command = plan
  variables {
    flink_parallelism_per_kpu = 16
  }
  expect_failures = [var.flink_parallelism_per_kpu]
}

run "rejects_an_unbounded_capacity" {
  command = plan
  variables {
    async_capacity = 5000
  }
  expect_failures = [var.async_capacity]
}

run "rejects_a_timeout_too_short_for_a_model_call" {
  command = plan
  variables {
    async_timeout_seconds = 1
  }
  expect_failures = [var.async_timeout_seconds]
}

run "rejects_an_alarm_at_zero_minutes" {
  command = plan
  variables {
    iterator_age_alarm_minutes = 0
  }
  expect_failures = [var.iterator_age_alarm_minutes]
}

run "rejects_a_project_too_long_for_the_collection_policies" {
  command = plan
  variables {
    project = "abcdefghijkl"
  }
  expect_failures = [var.project]
}

run "rejects_a_project_with_a_double_dash" {
  command = plan
  variables {
    project = "gen--ai"
  }
  expect_failures = [var.project]
}

run "rejects_an_unknown_environment" {
  command = plan
  variables {
    environment = "qa"
  }
  expect_failures = [var.environment]
}

run "rejects_a_malformed_region" {
  command = plan
  variables {
    region = "us_east_1"
  }
  expect_failures = [var.region]
}

run "rejects_a_retention_cloudwatch_does_not_offer" {
  command = plan
  variables {
    log_retention_days = 45
  }
  expect_failures = [var.log_retention_days]
}

run "rejects_unbounded_retries" {
  command = plan
  variables {
    max_attempts = 0
  }
  expect_failures = [var.max_attempts]
}
