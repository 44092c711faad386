# The stack's own validations whose outcome no environment's tfvars or tier can change (the
# others stay in environments.tftest.hcl): run once, with the first environment's tfvars
# (scripts/tf-test). The mocks and overrides are environments.tftest.hcl's (tests/mocks/aws), so
# that each run fails on its validation alone.

mock_provider "aws" {
  override_during = plan
  source          = "tests/mocks/aws"
}

# time_sleep waits for IAM to propagate on a real apply; a plan needs none of it.
mock_provider "time" {}

variables {
  lambda_packages_dir = "tests/fixtures"
}

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
    environment = "missing"
  }
  expect_failures = [var.environment]
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

run "rejects_a_propagation_wait_without_a_unit" {
  command = plan
  variables {
    role_propagation_wait = "30"
  }
  expect_failures = [var.role_propagation_wait]
}
