# The stack's own validations whose outcome no environment's tfvars or tier can change (the
# others stay in environments.tftest.hcl): run once, with the first environment's tfvars
# (scripts/tf-test). The mocks and overrides are environments.tftest.hcl's (tests/mocks/aws), so
# that each run fails on its validation alone.

mock_provider "aws" {
  override_during = plan
  source          = "tests/mocks/aws"
}

mock_provider "kubernetes" {}
mock_provider "helm" {}

variables {
  image_tag = "0123456789abcdef0123456789abcdef01234567"
}

run "rejects_a_served_loyalty_model_without_an_adapter" {
  command = plan
  variables {
    loyalty_model = { provider = "served" }
  }
  expect_failures = [var.loyalty_model]
}

run "rejects_a_run_name_with_a_slash" {
  command = plan
  variables {
    loyalty_adapter = { run = "../other/run" }
  }
  expect_failures = [var.loyalty_adapter]
}

run "rejects_a_submitter_that_is_not_an_iam_arn" {
  command = plan
  variables {
    finetune_submitter_arns = ["data-scientists"]
  }
  expect_failures = [var.finetune_submitter_arns]
}

run "rejects_a_jupyterhub_chart_outside_4x" {
  command = plan
  variables {
    jupyterhub_chart_version = "3.3.8"
  }
  expect_failures = [var.jupyterhub_chart_version]
}

run "rejects_user_names_with_cognito" {
  command = plan
  variables {
    jupyterhub_authenticator = "cognito"
    jupyterhub_allowed_users = ["data-scientist"]
    jupyterhub_admin_users   = []
  }
  expect_failures = [var.jupyterhub_allowed_users]
}

run "rejects_a_plain_http_url_other_than_localhost" {
  command = plan
  variables {
    jupyterhub_url = "http://notebooks.example.internal"
  }
  expect_failures = [var.jupyterhub_url]
}

run "rejects_jupyterhub_on_the_internet" {
  command = plan
  variables {
    jupyterhub_exposure = "internet"
  }
  expect_failures = [var.jupyterhub_exposure]
}

run "rejects_an_internal_load_balancer_without_a_certificate" {
  command = plan
  variables {
    jupyterhub_exposure = "internal"
    jupyterhub_url      = "https://notebooks.example.internal"
  }
  expect_failures = [var.jupyterhub_exposure]
}

run "rejects_a_certificate_that_is_not_from_acm" {
  command = plan
  variables {
    jupyterhub_certificate_arn = "arn:aws:iam::123456789012:server-certificate/notebooks"
  }
  expect_failures = [var.jupyterhub_certificate_arn]
}

run "rejects_an_idle_timeout_under_10_minutes" {
  command = plan
  variables {
    jupyterhub_idle_timeout_minutes = 5
  }
  expect_failures = [var.jupyterhub_idle_timeout_minutes]
}

run "rejects_an_empty_home_volume" {
  command = plan
  variables {
    notebook_home_size_gib = 0
  }
  expect_failures = [var.notebook_home_size_gib]
}

run "rejects_a_latest_notebook_image" {
  command = plan
  variables {
    notebook_images = { cpu = "quay.io/jupyter/scipy-notebook:latest", gpu = "quay.io/jupyter/pytorch-notebook:cuda12-2026-08-03" }
  }
  expect_failures = [var.notebook_images]
}

run "rejects_sharing_the_notebooks_prefix" {
  command = plan
  variables {
    notebook_read_prefixes = ["datasets/", "notebooks/"]
  }
  expect_failures = [var.notebook_read_prefixes]
}

run "rejects_an_unpinned_qdrant_chart" {
  command = plan
  variables {
    qdrant_chart_version = "1.19"
  }
  expect_failures = [var.qdrant_chart_version]
}

run "rejects_an_empty_qdrant_volume" {
  command = plan
  variables {
    qdrant_storage_gib = 0
  }
  expect_failures = [var.qdrant_storage_gib]
}

run "rejects_a_snapshot_volume_smaller_than_the_storage" {
  command = plan
  variables {
    qdrant_storage_gib          = 20
    qdrant_snapshot_storage_gib = 5
  }
  expect_failures = [var.qdrant_snapshot_storage_gib]
}

run "rejects_qdrant_memory_in_decimal_units" {
  command = plan
  variables {
    qdrant_memory = "2GB"
  }
  expect_failures = [var.qdrant_memory]
}

run "rejects_a_collection_name_with_a_slash" {
  command = plan
  variables {
    shop_collection = "myretail/products"
  }
  expect_failures = [var.shop_collection]
}

run "rejects_a_history_kept_for_no_time" {
  command = plan
  variables {
    shop_history_ttl_hours = 0
  }
  expect_failures = [var.shop_history_ttl_hours]
}

run "rejects_an_unknown_loyalty_provider" {
  command = plan
  variables {
    loyalty_model = { provider = "ollama" }
  }
  expect_failures = [var.loyalty_model]
}

run "rejects_an_openai_loyalty_model_without_a_server" {
  command = plan
  variables {
    loyalty_model = { provider = "openai", openai_model = "myelite-llama3" }
  }
  expect_failures = [var.loyalty_model]
}

run "rejects_a_latest_image_tag" {
  command = plan
  variables {
    image_tag = "latest"
  }
  expect_failures = [var.image_tag]
}

run "rejects_a_missing_image_tag" {
  command = plan
  variables {
    image_tag = null
  }
  expect_failures = [var.image_tag]
}

run "rejects_an_unknown_kb_mode" {
  command = plan
  variables {
    kb_mode = "generate"
  }
  expect_failures = [var.kb_mode]
}

run "rejects_more_than_20_passages" {
  command = plan
  variables {
    kb_number_of_results = 50
  }
  expect_failures = [var.kb_number_of_results]
}

run "rejects_a_project_starting_with_a_digit" {
  command = plan
  variables {
    project = "1genai"
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

run "rejects_options_for_an_undeclared_app" {
  command = plan
  variables {
    apps = { "claude-chatt" = { exposure = "internal" } }
  }
  expect_failures = [var.apps]
}

run "rejects_zero_replicas_of_an_app" {
  command = plan
  variables {
    apps = { "claude-chat" = { replicas = 0 } }
  }
  expect_failures = [var.apps]
}

run "rejects_an_unknown_exposure_of_an_app" {
  command = plan
  variables {
    apps = { "claude-chat" = { exposure = "public" } }
  }
  expect_failures = [var.apps]
}

run "rejects_an_app_on_the_internet_without_an_allow_list" {
  command = plan
  variables {
    apps = { "claude-chat" = { exposure = "internet" } }
  }
  expect_failures = [var.apps]
}
