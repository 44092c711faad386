mock_provider "aws" {}

override_data {
  target = data.aws_availability_zones.available
  values = { names = ["us-east-1a", "us-east-1b", "us-east-1c"] }
}

override_module {
  target = module.vpc
}

variables {
  permissions_boundary = "arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"
  name                 = "genai-dev"
  cluster_name         = "genai-dev"
}

run "rejects_a_vpc_smaller_than_a_20" {
  command = plan
  variables {
    cidr = "10.0.0.0/21"
  }
  expect_failures = [var.cidr]
}

run "rejects_one_zone" {
  command = plan
  variables {
    az_count = 1
  }
  expect_failures = [var.az_count]
}

run "rejects_five_zones" {
  command = plan
  variables {
    az_count = 5
  }
  expect_failures = [var.az_count]
}

run "rejects_an_unknown_nat_layout" {
  command = plan
  variables {
    nat_gateways = "none"
  }
  expect_failures = [var.nat_gateways]
}

run "refuses_more_zones_than_the_region_has" {
  command = plan
  variables {
    az_count = 4
  }
  expect_failures = [data.aws_availability_zones.available]
}

run "rejects_a_name_too_long_for_the_flow_log_role" {
  command = plan
  variables {
    name = "genai-platform-shared-services-staging-eu-west-1-vpc"
  }
  expect_failures = [var.name]
}

run "rejects_a_retention_cloudwatch_does_not_offer" {
  command = plan
  variables {
    flow_log_retention_days = 45
  }
  expect_failures = [var.flow_log_retention_days]
}

run "rejects_a_cluster_name_with_a_dot" {
  command = plan
  variables {
    cluster_name = "genai.dev"
  }
  expect_failures = [var.cluster_name]
}

run "rejects_a_boundary_that_is_not_a_policy" {
  command = plan
  variables {
    permissions_boundary = "arn:aws:iam::123456789012:role/genai-dev-boundary"
  }
  expect_failures = [var.permissions_boundary]
}
