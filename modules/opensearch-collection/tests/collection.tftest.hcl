# A private SEARCH collection with two indexes: who may reach it over the network and through
# the data access policy, its key, and its indexes created through the VPC endpoint.

mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

override_resource {
  target          = module.indexes.module.function.aws_iam_role.this
  override_during = plan
  values          = { arn = "arn:aws:iam::123456789012:role/genai-dev-reviews-index-function" }
}

variables {
  permissions_boundary = "arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"
  name                 = "genai-dev-reviews"
  description          = "Review results"
  type                 = "SEARCH"
  kms_key_arn          = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  vpc_endpoint = {
    vpc_id     = "vpc-0123456789abcdef0"
    subnet_ids = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
  }
  allowed_security_groups = { "the Flink application" = "sg-0app0000000000001" }
  allowed_cidrs           = ["10.40.0.0/16"]
  access = [
    {
      description            = "The application writes"
      principals             = ["arn:aws:iam::123456789012:role/genai-dev-app"]
      collection_permissions = ["aoss:DescribeCollectionItems"]
      index_permissions      = ["aoss:DescribeIndex", "aoss:ReadDocument", "aoss:WriteDocument"]
    },
    {
      description       = "A reader of one index"
      principals        = ["arn:aws:iam::123456789012:role/genai-dev-reader"]
      index_permissions = ["aoss:ReadDocument"]
      indexes           = ["results"]
    },
  ]
  index_manager_package = "tests/fixtures/vector_index.zip"
  indexes = {
    results = { mappings = { properties = { reviewId = { type = "integer" } } } }
    letters = { mappings = { properties = { reason = { type = "keyword" } } } }
  }
}

run "private_collection" {
  command = plan

  assert {
    condition = jsondecode(aws_opensearchserverless_security_policy.network.policy) == [{
      Rules           = [{ ResourceType = "collection", Resource = ["collection/genai-dev-reviews"] }]
      AllowFromPublic = false
      SourceVPCEs     = ["vpce-0123456789abcdef0"]
    }]
    error_message = "A private collection admits its own VPC endpoint only: ${aws_opensearchserverless_security_policy.network.policy}"
  }
  assert {
    condition = jsondecode(aws_opensearchserverless_access_policy.data.policy) == [
      {
        Description = "The application writes"
        Principal   = ["arn:aws:iam::123456789012:role/genai-dev-app"]
        Rules = [
          { ResourceType = "collection", Resource = ["collection/genai-dev-reviews"], Permission = ["aoss:DescribeCollectionItems"] },
          { ResourceType = "index", Resource = ["index/genai-dev-reviews/*"], Permission = ["aoss:DescribeIndex", "aoss:ReadDocument", "aoss:WriteDocument"] },
        ]
      },
      {
        Description = "A reader of one index"
        Principal   = ["arn:aws:iam::123456789012:role/genai-dev-reader"]
        Rules       = [{ ResourceType = "index", Resource = ["index/genai-dev-reviews/results"], Permission = ["aoss:ReadDocument"] }]
      },
      {
        Description = "The index manager creates, checks and replaces the indexes"
        Principal   = ["arn:aws:iam::123456789012:role/genai-dev-reviews-index-function"]
        Rules = [
          { ResourceType = "collection", Resource = ["collection/genai-dev-reviews"], Permission = ["aoss:DescribeCollectionItems"] },
          { ResourceType = "index", Resource = ["index/genai-dev-reviews/*"], Permission = ["aoss:CreateIndex", "aoss:DescribeIndex", "aoss:UpdateIndex", "aoss:DeleteIndex"] },
        ]
      },
    ]
    error_message = "The data access policy holds the callers' grants and the index manager's, nobody else's."
  }
  assert {
    condition     = jsondecode(aws_opensearchserverless_security_policy.encryption.policy).KmsARN == var.kms_key_arn && jsondecode(aws_opensearchserverless_security_policy.encryption.policy).AWSOwnedKey == false
    error_message = "The collection is encrypted with the caller's key."
  }
  assert {
    condition     = aws_opensearchserverless_collection.this.type == "SEARCH" && aws_opensearchserverless_collection.this.standby_replicas == "DISABLED"
    error_message = "The collection has the type asked for, without standby replicas by default."
  }
  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.from_index_manager.referenced_security_group_id == module.indexes.security_group_id
      && aws_vpc_security_group_ingress_rule.from_security_groups["the Flink application"].referenced_security_group_id == "sg-0app0000000000001"
      && aws_vpc_security_group_ingress_rule.from_cidrs["10.40.0.0/16"].from_port == 443
      && length(aws_vpc_security_group_ingress_rule.from_cidrs) == 1
    )
    error_message = "The endpoint admits HTTPS from the index manager and the listed groups and CIDRs only."
  }
  assert {
    condition     = toset(keys(module.indexes.inputs)) == toset(["results", "letters"]) && jsondecode(module.indexes.inputs["results"]).endpoint == aws_opensearchserverless_collection.this.collection_endpoint
    error_message = "Each index is created through the collection's endpoint."
  }
}

run "with_services_and_other_endpoints" {
  command = plan
  variables {
    type                    = "VECTORSEARCH"
    standby_replicas        = true
    source_services         = ["bedrock.amazonaws.com"]
    source_vpc_endpoint_ids = ["vpce-0other00000000001"]
  }

  assert {
    condition     = jsondecode(aws_opensearchserverless_security_policy.network.policy)[0].SourceServices == ["bedrock.amazonaws.com"] && jsondecode(aws_opensearchserverless_security_policy.network.policy)[0].SourceVPCEs == ["vpce-0123456789abcdef0", "vpce-0other00000000001"]
    error_message = "Services and other endpoints join the collection's own endpoint."
  }
  assert {
    condition     = aws_opensearchserverless_collection.this.standby_replicas == "ENABLED"
    error_message = "Standby replicas when asked for."
  }
}

run "public_collection" {
  command = plan
  variables {
    allow_public_access = true
    source_services     = ["bedrock.amazonaws.com"]
  }

  assert {
    condition = jsondecode(aws_opensearchserverless_security_policy.network.policy) == [{
      Rules           = [{ ResourceType = "collection", Resource = ["collection/genai-dev-reviews"] }]
      AllowFromPublic = true
    }]
    error_message = "A public collection's network policy allows the public and nothing more."
  }
}

run "rejects_a_name_too_long_for_the_policy_names" {
  command = plan
  variables {
    name = "genai-platform-staging-reviews"
  }
  expect_failures = [var.name]
}

run "rejects_an_unknown_type" {
  command = plan
  variables {
    type = "VECTOR"
  }
  expect_failures = [var.type]
}

run "rejects_a_boundary_that_is_not_a_policy" {
  command = plan
  variables {
    permissions_boundary = "arn:aws:iam::123456789012:role/genai-dev-boundary"
  }
  expect_failures = [var.permissions_boundary]
}
