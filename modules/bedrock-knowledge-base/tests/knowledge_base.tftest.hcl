# The knowledge base with a private collection (the default) and a public one: who may reach
# the collection, and an index that matches what the knowledge base expects.

mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

mock_provider "time" {}

override_resource {
  target          = module.role.aws_iam_role.this
  override_during = plan
  values          = { arn = "arn:aws:iam::123456789012:role/genai-dev-knowledge-base" }
}

override_resource {
  target          = module.collection.module.indexes.module.function.aws_iam_role.this
  override_during = plan
  values          = { arn = "arn:aws:iam::123456789012:role/genai-dev-kb-index-function" }
}

variables {
  permissions_boundary  = "arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"
  name                  = "genai-dev"
  index_manager_package = "tests/fixtures/vector_index.zip"
  vpc_endpoint = {
    vpc_id     = "vpc-0123456789abcdef0"
    subnet_ids = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
  }
}

run "private_collection" {
  command = plan

  assert {
    condition = jsondecode(module.collection.network_policy) == [{
      Rules           = [{ ResourceType = "collection", Resource = ["collection/genai-dev-kb"] }]
      AllowFromPublic = false
      SourceVPCEs     = ["vpce-0123456789abcdef0"]
      SourceServices  = ["bedrock.amazonaws.com"]
    }]
    error_message = "A private collection admits only Bedrock and its own VPC endpoint: ${module.collection.network_policy}"
  }
  assert {
    condition = [for rule in jsondecode(module.collection.data_access_policy) : rule.Principal] == [
      ["arn:aws:iam::123456789012:role/genai-dev-knowledge-base"],
      ["arn:aws:iam::123456789012:role/genai-dev-kb-index-function"],
    ]
    error_message = "The data access policy names the module's two roles and nobody else (whoever runs Terraform must not appear)."
  }
  assert {
    condition     = jsondecode(module.collection.encryption_policy).KmsARN == module.key.arn && jsondecode(module.collection.encryption_policy).AWSOwnedKey == false
    error_message = "The collection is encrypted with the module's customer-managed key."
  }
  assert {
    condition     = jsondecode(module.collection.index_inputs[var.index_name]).index == var.index_name
    error_message = "The collection's index manager creates the knowledge base's index."
  }
}

run "public_collection" {
  command = plan
  variables {
    allow_public_access = true
  }

  assert {
    condition = jsondecode(module.collection.network_policy) == [{
      Rules           = [{ ResourceType = "collection", Resource = ["collection/genai-dev-kb"] }]
      AllowFromPublic = true
    }]
    error_message = "A public collection's network policy allows the public and nothing more: ${module.collection.network_policy}"
  }
}

run "index_matches_the_knowledge_base" {
  command = plan
  variables {
    embedding_dimensions = 512
  }

  assert {
    condition     = jsondecode(module.collection.index_inputs[var.index_name]).body.mappings.properties.embedding.dimension == 512
    error_message = "The index is created with the embedding dimension."
  }
  assert {
    condition     = aws_bedrockagent_knowledge_base.this.knowledge_base_configuration[0].vector_knowledge_base_configuration[0].embedding_model_configuration[0].bedrock_embedding_model_configuration[0].dimensions == 512
    error_message = "The knowledge base embeds with the same dimension as the index."
  }
  assert {
    condition = alltrue([
      for field in values(aws_bedrockagent_knowledge_base.this.storage_configuration[0].opensearch_serverless_configuration[0].field_mapping[0]) :
      contains(keys(jsondecode(module.collection.index_inputs[var.index_name]).body.mappings.properties), field)
    ])
    error_message = "Every field the knowledge base maps exists in the index."
  }
  assert {
    condition     = aws_bedrockagent_knowledge_base.this.storage_configuration[0].opensearch_serverless_configuration[0].vector_index_name == jsondecode(module.collection.index_inputs[var.index_name]).index
    error_message = "The knowledge base uses the index the Lambda creates."
  }
  assert {
    condition     = jsondecode(module.collection.index_inputs[var.index_name]).endpoint == "https://abcdefghij0123456789.us-east-1.aoss.amazonaws.com"
    error_message = "The index manager is sent the collection's endpoint."
  }
}

run "no_chunking" {
  command = plan
  variables {
    chunking = { strategy = "NONE" }
  }

  assert {
    condition     = length(aws_bedrockagent_data_source.documents.vector_ingestion_configuration[0].chunking_configuration[0].fixed_size_chunking_configuration) == 0
    error_message = "NONE sends no fixed-size settings."
  }
}

# A plan by the CI plan role right after an apply by the apply role (or an operator) must show
# no change: nothing in the collection's policies may depend on who runs Terraform.
run "planned_by_another_role" {
  command = plan

  override_data {
    target = data.aws_caller_identity.current
    values = {
      account_id = "123456789012"
      arn        = "arn:aws:sts::123456789012:assumed-role/genai-dev-github-plan/github-actions"
    }
  }

  assert {
    condition     = module.collection.data_access_policy == run.private_collection.data_access_policy && module.collection.network_policy == run.private_collection.network_policy
    error_message = "The collection's policies changed with the role running Terraform."
  }
}
