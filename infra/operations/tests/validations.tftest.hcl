# The stack's own validations whose outcome no environment's tfvars or tier can change (the
# others stay in environments.tftest.hcl): run once, with the first environment's tfvars
# (scripts/tf-test). The mocks and overrides are environments.tftest.hcl's, so that each run
# fails on its validation alone.

mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

override_data {
  target = data.aws_ssm_parameter.platform["permissions-boundary-arn"]
  values = { value = "arn:aws:iam::123456789012:policy/genai-env-permissions-boundary" }
}

override_data {
  target = data.aws_ssm_parameter.platform["vpc-id"]
  values = { value = "vpc-0123456789abcdef0" }
}

override_data {
  target = data.aws_ssm_parameter.platform["private-subnet-ids"]
  values = { value = "subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2,subnet-0ccccccccccccccc3" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["knowledge-base-id"]
  values = { value = "KBMOCK0001" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["knowledge-base-arn"]
  values = { value = "arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KBMOCK0001" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["data-source-id"]
  values = { value = "DSMOCK0001" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["documents-bucket"]
  values = { value = "genai-env-kb-documents-123456789012" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["documents-prefix"]
  values = { value = "competency/" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["kms-key-arn"]
  values = { value = "arn:aws:kms:us-east-1:123456789012:key/33333333-3333-3333-3333-333333333333" }
}

override_data {
  target = data.aws_ssm_parameter.streaming["archive-bucket"]
  values = { value = "genai-env-reviews-archive-123456789012" }
}

override_data {
  target = data.aws_ssm_parameter.streaming["archive-prefix"]
  values = { value = "reviews/" }
}

override_data {
  target = data.aws_ssm_parameter.streaming["archive-kms-key-arn"]
  values = { value = "arn:aws:kms:us-east-1:123456789012:key/22222222-2222-2222-2222-222222222222" }
}

override_data {
  target = data.aws_ssm_parameter.streaming["collection-endpoint"]
  values = { value = "https://reviewsmock0001.us-east-1.aoss.amazonaws.com" }
}

override_data {
  target = data.aws_ssm_parameter.streaming["collection-arn"]
  values = { value = "arn:aws:aoss:us-east-1:123456789012:collection/reviewsmock0001" }
}

override_data {
  target = data.aws_ssm_parameter.streaming["collection-name"]
  values = { value = "genai-env-reviews" }
}

override_data {
  target = data.aws_ssm_parameter.streaming["stream-name"]
  values = { value = "genai-env-reviews" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["code-generation-url"]
  values = { value = "https://abcde12345.execute-api.us-east-1.amazonaws.com/code-generation" }
}

override_resource {
  target          = module.observability.aws_sns_topic.alarms
  override_during = plan
  values          = { arn = "arn:aws:sns:us-east-1:123456789012:genai-env-alarms" }
}

override_resource {
  target          = module.key.aws_kms_key.this
  override_during = plan
  values = {
    arn    = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
    key_id = "11111111-1111-1111-1111-111111111111"
  }
}

override_resource {
  target          = module.work_bucket.aws_s3_bucket.this
  override_during = plan
  values = {
    id  = "genai-env-operations-123456789012"
    arn = "arn:aws:s3:::genai-env-operations-123456789012"
  }
}

override_resource {
  target          = module.airflow_bucket.aws_s3_bucket.this
  override_during = plan
  values = {
    id  = "genai-env-airflow-123456789012"
    arn = "arn:aws:s3:::genai-env-airflow-123456789012"
  }
}

override_resource {
  target          = aws_iam_role.bedrock["batch"]
  override_during = plan
  values          = { arn = "arn:aws:iam::123456789012:role/genai-env-bedrock-batch" }
}

override_resource {
  target          = aws_iam_role.bedrock["customization"]
  override_during = plan
  values          = { arn = "arn:aws:iam::123456789012:role/genai-env-bedrock-customization" }
}

override_resource {
  target          = aws_s3_object.requirements
  override_during = plan
  values          = { version_id = "requirements-v1" }
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
    environment = "missing"
  }
  expect_failures = [var.environment]
}

run "rejects_an_unknown_environment_class" {
  command = plan
  variables {
    environment_class = "mw1.tiny"
  }
  expect_failures = [var.environment_class]
}

run "rejects_zero_workers" {
  command = plan
  variables {
    min_workers = 0
  }
  expect_failures = [var.min_workers]
}

run "rejects_more_than_25_workers" {
  command = plan
  variables {
    max_workers = 26
  }
  expect_failures = [var.max_workers]
}

run "rejects_a_maximum_below_the_minimum" {
  command = plan
  variables {
    min_workers = 3
    max_workers = 2
  }
  expect_failures = [var.max_workers]
}

run "rejects_a_micro_environment_that_scales" {
  command = plan
  variables {
    environment_class = "mw1.micro"
    schedulers        = 1
    min_workers       = 1
    max_workers       = 2
  }
  expect_failures = [var.max_workers]
}

run "rejects_one_scheduler_on_a_small_environment" {
  command = plan
  variables {
    environment_class = "mw1.small"
    schedulers        = 1
  }
  expect_failures = [var.schedulers]
}

run "rejects_a_public_web_server_cidr" {
  command = plan
  variables {
    webserver_allowed_cidrs = ["0.0.0.0/0"]
  }
  expect_failures = [var.webserver_allowed_cidrs]
}

run "rejects_an_unknown_log_level" {
  command = plan
  variables {
    airflow_log_level = "VERBOSE"
  }
  expect_failures = [var.airflow_log_level]
}

run "rejects_a_maintenance_window_off_the_half_hour" {
  command = plan
  variables {
    maintenance_window_start = "SUN:03:15"
  }
  expect_failures = [var.maintenance_window_start]
}

run "rejects_a_hit_rate_above_one" {
  command = plan
  variables {
    rag_min_hit_rate = 75
  }
  expect_failures = [var.rag_min_hit_rate]
}

run "rejects_a_retention_cloudwatch_does_not_offer" {
  command = plan
  variables {
    log_retention_days = 45
  }
  expect_failures = [var.log_retention_days]
}
