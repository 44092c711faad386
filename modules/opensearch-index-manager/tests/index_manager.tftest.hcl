# Two indexes on a private collection: one invocation each, carrying the endpoint, the name and
# the body; the function may reach that collection only, and only through its VPC endpoint.

mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

variables {
  permissions_boundary           = "arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"
  name                           = "genai-dev-reviews-index"
  description                    = "Creates the review indexes (invoked by Terraform)"
  collection_arn                 = "arn:aws:aoss:us-east-1:123456789012:collection/reviewsmock0001"
  collection_endpoint            = "https://reviewsmock0001.us-east-1.aoss.amazonaws.com"
  vpc_id                         = "vpc-0123456789abcdef0"
  subnet_ids                     = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
  vpc_endpoint_security_group_id = "sg-0endpoint000000001"
  package_path                   = "tests/fixtures/vector_index.zip"
  kms_key_arn                    = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  ready_after                    = ["access-policy", "network-policy"]
  indexes = {
    first  = { mappings = { properties = { reviewId = { type = "integer" } } } }
    second = { mappings = { properties = { reason = { type = "keyword" } } } }
  }
}

run "creates_each_index_from_inside_the_vpc" {
  command = plan

  assert {
    condition     = toset(keys(aws_lambda_invocation.index)) == toset(["first", "second"])
    error_message = "One invocation per declared index."
  }
  assert {
    condition = jsondecode(aws_lambda_invocation.index["first"].input) == {
      endpoint = var.collection_endpoint
      index    = "first"
      body     = { mappings = { properties = { reviewId = { type = "integer" } } } }
    }
    error_message = "Each invocation sends the endpoint, the index name and its body."
  }
  assert {
    condition     = aws_lambda_invocation.index["second"].function_name == module.function.function_name
    error_message = "The index manager function is invoked."
  }
  assert {
    condition     = [for s in data.aws_iam_policy_document.this.statement : { actions = s.actions, resources = s.resources }] == [{ actions = toset(["aoss:APIAccessAll"]), resources = toset([var.collection_arn]) }]
    error_message = "The function may reach that collection, nothing else."
  }
  assert {
    condition     = aws_vpc_security_group_egress_rule.to_collection.referenced_security_group_id == var.vpc_endpoint_security_group_id && aws_vpc_security_group_egress_rule.to_collection.from_port == 443 && aws_security_group.this.vpc_id == var.vpc_id
    error_message = "Its only egress is HTTPS to the collection's VPC endpoint."
  }
  assert {
    condition     = terraform_data.ready.input == var.ready_after
    error_message = "The invocations wait for what the caller names."
  }
}

run "rejects_a_boundary_that_is_not_a_policy" {
  command = plan
  variables {
    permissions_boundary = "arn:aws:iam::123456789012:role/genai-dev-boundary"
  }
  expect_failures = [var.permissions_boundary]
}
