mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

mock_provider "time" {}

variables {
  permissions_boundary  = "arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"
  name                  = "genai-dev"
  index_manager_package = "tests/fixtures/vector_index.zip"
  vpc_endpoint = {
    vpc_id     = "vpc-0123456789abcdef0"
    subnet_ids = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
  }
}

run "rejects_a_name_too_long_for_the_collection_policies" {
  command = plan
  variables {
    name = "genai-platform-staging-eu"
  }
  expect_failures = [var.name]
}

run "rejects_a_name_with_upper_case" {
  command = plan
  variables {
    name = "GenAI-dev"
  }
  expect_failures = [var.name]
}

run "rejects_an_empty_description" {
  command = plan
  variables {
    description = ""
  }
  expect_failures = [var.description]
}

run "rejects_a_malformed_embedding_model" {
  command = plan
  variables {
    embedding_model_id = "titan embeddings"
  }
  expect_failures = [var.embedding_model_id]
}

run "rejects_a_dimension_titan_v2_does_not_produce" {
  command = plan
  variables {
    embedding_dimensions = 1536
  }
  expect_failures = [var.embedding_dimensions]
}

run "rejects_an_index_name_with_upper_case" {
  command = plan
  variables {
    index_name = "Bedrock-Index"
  }
  expect_failures = [var.index_name]
}

run "rejects_a_prefix_without_a_trailing_slash" {
  command = plan
  variables {
    documents_prefix = "documents"
  }
  expect_failures = [var.documents_prefix]
}

run "rejects_an_unknown_chunking_strategy" {
  command = plan
  variables {
    chunking = { strategy = "SEMANTIC" }
  }
  expect_failures = [var.chunking]
}

run "rejects_chunks_over_8192_tokens" {
  command = plan
  variables {
    chunking = { max_tokens = 10000 }
  }
  expect_failures = [var.chunking]
}

run "rejects_a_full_overlap" {
  command = plan
  variables {
    chunking = { overlap_percentage = 100 }
  }
  expect_failures = [var.chunking]
}

run "rejects_an_endpoint_without_subnets" {
  command = plan
  variables {
    vpc_endpoint = { vpc_id = "vpc-0123456789abcdef0", subnet_ids = [] }
  }
  expect_failures = [var.vpc_endpoint]
}

run "rejects_an_endpoint_open_to_all" {
  command = plan
  variables {
    vpc_endpoint = { vpc_id = "vpc-0123456789abcdef0", subnet_ids = ["subnet-0aaaaaaaaaaaaaaa1"], allowed_cidrs = ["0.0.0.0/0"] }
  }
  expect_failures = [var.vpc_endpoint]
}

run "rejects_a_source_endpoint_that_is_not_an_id" {
  command = plan
  variables {
    source_vpc_endpoint_ids = ["genai-dev-vpce"]
  }
  expect_failures = [var.source_vpc_endpoint_ids]
}

run "rejects_a_wait_without_a_unit" {
  command = plan
  variables {
    role_propagation_wait = "30"
  }
  expect_failures = [var.role_propagation_wait]
}

run "rejects_a_boundary_that_is_not_a_policy" {
  command = plan
  variables {
    permissions_boundary = "arn:aws:iam::123456789012:role/genai-dev-boundary"
  }
  expect_failures = [var.permissions_boundary]
}
