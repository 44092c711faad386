# Planned once per environment with environments/<env>/streaming.tfvars (scripts/tf-test).

mock_provider "aws" {
  override_during = plan
  source          = "tests/mocks/aws"
}

# time_sleep waits for IAM to propagate on a real apply; a plan needs none of it.
mock_provider "time" {}

variables {
  lambda_packages_dir = "tests/fixtures"
}

run "plan" {
  command = plan

  assert {
    condition     = aws_iam_role.archive.permissions_boundary == "arn:aws:iam::123456789012:policy/genai-env-permissions-boundary" && aws_iam_role.app.permissions_boundary == "arn:aws:iam::123456789012:policy/genai-env-permissions-boundary"
    error_message = "The stack's roles carry the platform's permissions boundary (the CI apply role creates no role without it)."
  }

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
    condition     = aws_cloudwatch_metric_alarm.iterator_age.threshold == var.iterator_age_alarm_minutes * 60000 && aws_cloudwatch_metric_alarm.iterator_age.treat_missing_data == "breaching" && length(aws_cloudwatch_metric_alarm.stopped) == 0
    error_message = "Alarms watch how far behind the readers are; no stopped alarm without an application."
  }
  assert {
    condition = alltrue([
      for a in [aws_cloudwatch_metric_alarm.iterator_age, aws_cloudwatch_metric_alarm.dead_letters, aws_cloudwatch_metric_alarm.downtime] :
      a.alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:genai-${var.environment}-alarms"]) && a.ok_actions == a.alarm_actions
      && startswith(a.alarm_name, "genai-${var.environment}-")
    ])
    error_message = "Every alarm notifies the environment's alarm topic (modules/observability's genai-<env>-alarms, in operations), and is named so that the topic's policy admits it."
  }
  assert {
    condition = (
      one(aws_cloudwatch_metric_alarm.dead_letters.metric_query).expression == "SELECT SUM(IngestionDocumentRate) FROM SCHEMA(\"AWS/AOSS\", ClientId, CollectionId, CollectionName, IndexId, IndexName) WHERE CollectionName = 'genai-${var.environment}-reviews' AND IndexName = 'review_dead_letters'"
      && one(aws_cloudwatch_metric_alarm.dead_letters.metric_query).return_data
      && aws_cloudwatch_metric_alarm.dead_letters.metric_name == null
      && aws_cloudwatch_metric_alarm.dead_letters.comparison_operator == "GreaterThanThreshold" && aws_cloudwatch_metric_alarm.dead_letters.threshold == 0
      && aws_cloudwatch_metric_alarm.dead_letters.treat_missing_data == "notBreaching"
    )
    error_message = "The dead-letter alarm fires on any document the collection reports written to the dead-letter index (a documented AWS/AOSS metric), not on a job counter Managed Flink may not publish."
  }
  assert {
    condition     = alltrue([for p in aws_ssm_parameter.outputs : startswith(p.name, "/genai/${var.environment}/streaming/")]) && aws_ssm_parameter.outputs["stream-name"].value == "genai-${var.environment}-reviews"
    error_message = "The stack publishes the stream and the collection under /<project>/<environment>/streaming/."
  }
  assert {
    condition     = local.force_destroy == !local.production
    error_message = "Only a development-tier environment lets a destroy delete its code and archived reviews."
  }
  assert {
    condition     = !local.production || var.stream_retention_hours >= 48
    error_message = "A production-tier environment keeps at least two days of reviews to replay."
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
    condition     = one([for g in aws_kinesisanalyticsv2_application.reviews[0].application_configuration[0].environment_properties[0].property_group : g.property_map if g.property_group_id == "ReviewStream"]).CAPACITY == tostring(var.async_capacity) && one([for g in aws_kinesisanalyticsv2_application.reviews[0].application_configuration[0].environment_properties[0].property_group : g.property_map if g.property_group_id == "ReviewStream"]).MODEL_ID == local.model.model_id
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
    condition     = aws_cloudwatch_metric_alarm.stopped[0].alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:genai-${var.environment}-alarms"]) && startswith(aws_cloudwatch_metric_alarm.stopped[0].alarm_name, "genai-${var.environment}-")
    error_message = "The stopped alarm notifies the environment's alarm topic too."
  }
  assert {
    condition     = aws_kinesisanalyticsv2_application.reviews[0].application_configuration[0].application_snapshot_configuration[0].snapshots_enabled
    error_message = "The application's state is snapshotted across updates."
  }
  assert {
    condition     = aws_kinesisanalyticsv2_application.reviews[0].application_configuration[0].run_configuration[0].flink_run_configuration[0].allow_non_restored_state == false
    error_message = "By default an update that would drop snapshot state fails instead."
  }
  assert {
    condition     = aws_kinesisanalyticsv2_application.reviews[0].application_configuration[0].application_encryption_configuration[0].key_type == "CUSTOMER_MANAGED_KEY" && aws_kinesisanalyticsv2_application.reviews[0].application_configuration[0].application_encryption_configuration[0].key_id == module.key.arn
    error_message = "The application's state is encrypted with the stack's key."
  }
  assert {
    condition = tomap({
      for s in data.aws_iam_policy_document.key_for_application_state.statement : s.sid => join(" ", sort(flatten([for pr in s.principals : tolist(pr.identifiers)])))
      }) == tomap({
      FlinkDescribesTheKey              = "infrastructure.kinesisanalytics.amazonaws.com kinesisanalytics.amazonaws.com"
      FlinkEncryptsDurableState         = "kinesisanalytics.amazonaws.com"
      FlinkDecryptsDurableState         = "kinesisanalytics.amazonaws.com"
      FlinkUsesTheKeyForRunningState    = "infrastructure.kinesisanalytics.amazonaws.com"
      FlinkGrantsDecryptForRunningState = "infrastructure.kinesisanalytics.amazonaws.com"
    })
    error_message = "The key lets Managed Flink's two service principals use it for the application's state."
  }
  assert {
    condition = alltrue([
      for s in data.aws_iam_policy_document.key_for_application_state.statement : anytrue([
        for c in s.condition : contains(["aws:SourceArn", "kms:EncryptionContext:aws:kinesisanalytics:arn"], c.variable) && length(c.values) == 1 && contains(c.values, "arn:aws:kinesisanalytics:${module.environment.region}:123456789012:application/genai-${var.environment}-review-sentiment")
      ])
    ])
    error_message = "Every use of the key by Managed Flink is for this application only."
  }
  assert {
    condition     = time_sleep.app_role.create_duration == var.role_propagation_wait && time_sleep.archive_role.create_duration == var.role_propagation_wait
    error_message = "The application and the archive wait for their roles' policies to propagate, again after each change."
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

run "allowing_non_restored_state" {
  command = plan
  variables {
    flink_app_package        = "tests/fixtures/review-stream-flink.zip"
    allow_non_restored_state = true
  }

  assert {
    condition     = aws_kinesisanalyticsv2_application.reviews[0].application_configuration[0].run_configuration[0].flink_run_configuration[0].allow_non_restored_state
    error_message = "allow_non_restored_state lets one update drop the state no operator takes."
  }
}

run "app_policy" {
  command = plan

  assert {
    condition = { for s in data.aws_iam_policy_document.app.statement : s.sid => s.resources } == {
      ReadTheReviewStream             = toset([aws_kinesis_stream.reviews.arn])
      ReadTheCode                     = toset(["${module.code_bucket.arn}/review-sentiment/*"])
      UseTheKey                       = toset([module.key.arn])
      InvokeTheModelThroughItsProfile = toset(["arn:aws:bedrock:${module.environment.region}:123456789012:inference-profile/${local.model.model_id}"])
      InvokeTheModelBehindTheProfile  = toset(["arn:aws:bedrock:*::foundation-model/${local.model.foundation_model_id}"])
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
