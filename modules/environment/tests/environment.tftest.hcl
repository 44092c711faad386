# The environment file and the model catalog, read from fixtures (tests/fixtures/<catalog>/).

variables {
  directory = "tests/fixtures/catalog"
}

run "development" {
  command = plan
  variables {
    name = "dev"
  }

  assert {
    condition     = output.tier == "development" && !output.production && output.region == "eu-west-1" && output.name == var.name
    error_message = "Tier and Region come from dev/environment.yaml."
  }
  assert {
    condition     = [for m in output.models.chat : m.model_id] == ["us.anthropic.claude-sonnet-4-6"] && output.models.rag.label == "Sonnet"
    error_message = "The roles the environment picks replace the catalog's."
  }
  assert {
    condition     = output.models.agent.model_id == "us.anthropic.claude-haiku-4-5-20251001-v1:0" && output.models.agent.foundation_model_id == "anthropic.claude-haiku-4-5-20251001-v1:0"
    error_message = "The roles it leaves alone are the catalog's."
  }
  assert {
    condition     = output.models.embedding.model_id == "amazon.titan-embed-text-v2:0" && output.models.embedding.dimensions == 512
    error_message = "The embedding model comes with its dimensions."
  }
}

run "production" {
  command = plan
  variables {
    name = "live"
  }

  assert {
    condition     = output.tier == "production" && output.production
    error_message = "A production-tier environment says so."
  }
  assert {
    condition     = [for m in output.models.chat : m.label] == ["Haiku", "Sonnet"] && [for m in output.models.code_generation : m.label] == ["Sonnet"]
    error_message = "Without picks of its own, an environment has the catalog's roles, in their order."
  }
}

run "rejects_a_name_that_is_not_a_folder" {
  command = plan
  variables {
    name = "missing"
  }
  expect_failures = [var.name]
}

run "rejects_a_name_with_a_path_in_it" {
  command = plan
  variables {
    name = "../catalog/dev"
  }
  expect_failures = [var.name]
}

run "rejects_a_folder_without_a_catalog" {
  command = plan
  variables {
    name      = "dev"
    directory = "tests/fixtures/catalog/dev"
  }
  expect_failures = [var.directory]
}

run "rejects_an_unknown_tier" {
  command = plan
  variables {
    name = "vague"
  }
  expect_failures = [output.tier]
}

run "rejects_a_region_name_instead_of_a_code" {
  command = plan
  variables {
    name = "nowhere"
  }
  expect_failures = [output.region]
}

run "rejects_a_role_naming_no_model_of_the_catalog" {
  command = plan
  variables {
    name = "unknown"
  }
  expect_failures = [output.models]
}

run "rejects_a_catalog_missing_a_role" {
  command = plan
  variables {
    name      = "dev"
    directory = "tests/fixtures/partial"
  }
  expect_failures = [output.models]
}

run "rejects_a_foundation_model_where_an_inference_profile_is_needed" {
  command = plan
  variables {
    name = "bare"
  }
  expect_failures = [output.models]
}

run "rejects_a_profile_of_another_model" {
  command = plan
  variables {
    name = "mixed"
  }
  expect_failures = [output.models]
}

run "rejects_a_model_without_a_label" {
  command = plan
  variables {
    name = "nolabel"
  }
  expect_failures = [output.models]
}

run "rejects_an_embedding_model_without_dimensions" {
  command = plan
  variables {
    name = "nodims"
  }
  expect_failures = [output.models]
}

run "logs_model_text_only_where_the_environment_says_so" {
  command = plan
  variables {
    name = "chatty"
  }

  assert {
    condition     = output.log_model_text == true
    error_message = "log_model_text: true turns text logging on."
  }
}

run "logs_no_model_text_by_default" {
  command = plan
  variables {
    name = "live"
  }

  assert {
    condition     = output.log_model_text == false
    error_message = "Without log_model_text an environment logs metadata only."
  }
}

run "rejects_a_log_model_text_that_is_not_a_bool" {
  command = plan
  variables {
    name = "unsure"
  }
  expect_failures = [output.log_model_text]
}
