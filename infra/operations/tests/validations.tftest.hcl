# The stack's own validations whose outcome no environment's tfvars or tier can change (the
# others stay in environments.tftest.hcl): run once, with the first environment's tfvars
# (scripts/tf-test). The mocks and overrides are environments.tftest.hcl's (tests/mocks/aws), so
# that each run fails on its validation alone.

mock_provider "aws" {
  override_during = plan
  source          = "tests/mocks/aws"
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
