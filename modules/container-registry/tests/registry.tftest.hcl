mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

variables {
  name_prefix  = "genai/dev"
  repositories = ["claude-chat", "kb-assistant"]
}

run "repositories" {
  command = plan

  assert {
    condition     = toset([for r in aws_ecr_repository.this : r.name]) == toset(["genai/dev/claude-chat", "genai/dev/kb-assistant"])
    error_message = "One repository per app under the prefix."
  }
  assert {
    condition     = alltrue([for r in aws_ecr_repository.this : r.image_tag_mutability == "IMMUTABLE" && r.encryption_configuration[0].encryption_type == "KMS" && r.image_scanning_configuration[0].scan_on_push])
    error_message = "Tags are immutable, images encrypted with the registry's key and scanned on push."
  }
  assert {
    condition     = aws_kms_alias.ecr.name == "alias/genai-dev-ecr"
    error_message = "The key's alias is the prefix with dashes."
  }
}

run "rejects_an_upper_case_prefix" {
  command = plan
  variables {
    name_prefix = "GenAI/dev"
  }
  expect_failures = [var.name_prefix]
}

run "rejects_a_repository_ending_in_a_dash" {
  command = plan
  variables {
    repositories = ["claude-chat-"]
  }
  expect_failures = [var.repositories]
}

run "rejects_a_repository_path_over_256_characters" {
  command = plan
  variables {
    repositories = [join("-", [for i in range(70) : "app"])]
  }
  expect_failures = [var.repositories]
}

run "rejects_keeping_no_images" {
  command = plan
  variables {
    keep_tagged_images = 0
  }
  expect_failures = [var.keep_tagged_images]
}

run "rejects_expiring_untagged_images_at_once" {
  command = plan
  variables {
    untagged_expiry_days = 0
  }
  expect_failures = [var.untagged_expiry_days]
}
