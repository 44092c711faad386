mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

variables {
  name        = "genai-dev-kb-documents-123456789012"
  kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
}

run "private_encrypted_bucket" {
  command = plan

  assert {
    condition     = aws_s3_bucket_public_access_block.this.block_public_acls && aws_s3_bucket_public_access_block.this.block_public_policy && aws_s3_bucket_public_access_block.this.ignore_public_acls && aws_s3_bucket_public_access_block.this.restrict_public_buckets
    error_message = "All public access is blocked."
  }
  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).kms_master_key_id == var.kms_key_arn
    error_message = "Objects are encrypted with the given key by default."
  }
  assert {
    condition     = toset([for s in data.aws_iam_policy_document.this.statement : s.sid if s.effect == "Deny"]) == toset(["DenyInsecureTransport", "DenyOtherEncryption", "DenyOtherKeys", "DenyKmsWithoutThisKey"])
    error_message = "The bucket refuses plain HTTP and writes asking for another encryption or key."
  }
  assert {
    condition = alltrue([
      for s in data.aws_iam_policy_document.this.statement : anytrue([for c in s.condition : c.test == "Null" && c.values == tolist(["false"])])
      if s.sid == "DenyOtherEncryption" || s.sid == "DenyOtherKeys"
    ])
    error_message = "A write without encryption headers (the apps' writes) gets the default key: the denials apply only to headers that are present."
  }
  assert {
    condition     = alltrue([for s in data.aws_iam_policy_document.this.statement : alltrue([for c in s.condition : !endswith(c.test, "IfExists")])])
    error_message = "No IfExists operator in a Deny: a missing header would make it refuse every write without headers."
  }
  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled" && !aws_s3_bucket.this.force_destroy
    error_message = "Versioned, and kept on destroy unless asked."
  }
}

run "rejects_upper_case" {
  command = plan
  variables {
    name = "GenAI-dev-documents"
  }
  expect_failures = [var.name]
}

run "rejects_a_name_like_an_ip_address" {
  command = plan
  variables {
    name = "192.168.10.20"
  }
  expect_failures = [var.name]
}

run "rejects_consecutive_dots" {
  command = plan
  variables {
    name = "genai..documents"
  }
  expect_failures = [var.name]
}

run "rejects_a_reserved_suffix" {
  command = plan
  variables {
    name = "genai-documents-s3alias"
  }
  expect_failures = [var.name]
}

run "rejects_a_name_over_63_characters" {
  command = plan
  variables {
    name = "genai-platform-staging-knowledge-base-documents-123456789012-eu1"
  }
  expect_failures = [var.name]
}

run "rejects_an_alias_instead_of_a_key_arn" {
  command = plan
  variables {
    kms_key_arn = "alias/genai-dev-kb"
  }
  expect_failures = [var.kms_key_arn]
}

run "rejects_zero_days_of_versions" {
  command = plan
  variables {
    noncurrent_version_days = 0
  }
  expect_failures = [var.noncurrent_version_days]
}

run "adds_the_given_statements_to_its_own" {
  command = plan
  variables {
    policy_documents = [jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Sid       = "ServiceWritesLogs"
        Effect    = "Allow"
        Principal = { Service = "bedrock.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "arn:aws:s3:::genai-dev-kb-documents-123456789012/logs/*"
      }]
    })]
  }

  assert {
    condition     = tolist(data.aws_iam_policy_document.this.source_policy_documents) == var.policy_documents && length([for s in data.aws_iam_policy_document.this.statement : s if s.effect == "Deny"]) == 4
    error_message = "The extra statements join the bucket's policy, and its denials stay."
  }
}
