# What the stack reads from the other stacks (SSM parameters) and what AWS would compute, for all
# of the stack's test files (the mock provider plans with them: override_during = plan).
# aws.tfmock.hcl links to the defaults every test shares (tests/terraform-mocks/aws): a
# mock_provider takes a single source directory, and the link keeps one copy of each.

override_data {
  target = data.aws_ssm_parameter.network["permissions-boundary-arn"]
  values = { value = "arn:aws:iam::123456789012:policy/genai-env-permissions-boundary" }
}

override_data {
  target = data.aws_ssm_parameter.network["vpc-id"]
  values = { value = "vpc-0123456789abcdef0" }
}

override_data {
  target = data.aws_ssm_parameter.network["vpc-cidr"]
  values = { value = "10.40.0.0/16" }
}

override_data {
  target = data.aws_ssm_parameter.network["private-subnet-ids"]
  values = { value = "subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2,subnet-0ccccccccccccccc3" }
}

override_data {
  target = data.aws_iam_policy_document.app
  values = { json = "{\"Id\":\"app\"}" }
}

override_resource {
  target = module.collection.aws_opensearchserverless_collection.this
  values = {
    arn                 = "arn:aws:aoss:us-east-1:123456789012:collection/reviewsmock0001"
    collection_endpoint = "https://reviewsmock0001.us-east-1.aoss.amazonaws.com"
  }
}

override_resource {
  target = aws_kinesis_stream.reviews
  values = { arn = "arn:aws:kinesis:us-east-1:123456789012:stream/genai-env-reviews" }
}

override_resource {
  target = module.collection.aws_opensearchserverless_vpc_endpoint.this
  values = { id = "vpce-0123456789abcdef0" }
}
