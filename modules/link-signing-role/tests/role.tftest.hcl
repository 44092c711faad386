variables {
  name                 = "genai-dev-code-generation-signer"
  description          = "Signs the genai-dev-code-generation download links"
  function_role_arn    = "arn:aws:iam::123456789012:role/genai-dev-code-generation-function"
  objects_arn          = "arn:aws:s3:::genai-dev-generated-code-123456789012/generated/*"
  kms_key_arn          = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  region               = "us-east-1"
  permissions_boundary = "arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"
}

run "reads_only_the_linked_objects_for_the_function_only" {
  command = plan

  assert {
    condition     = one(one(data.aws_iam_policy_document.trust.statement).principals).identifiers == toset([var.function_role_arn]) && one(data.aws_iam_policy_document.trust.statement).actions == toset(["sts:AssumeRole"])
    error_message = "Only the function's execution role may assume the signing role."
  }
  assert {
    condition = { for s in data.aws_iam_policy_document.this.statement : s.sid => [s.actions, s.resources] } == {
      ReadTheLinkedObjects = [toset(["s3:GetObject"]), toset([var.objects_arn])]
      DecryptThemThroughS3 = [toset(["kms:Decrypt"]), toset([var.kms_key_arn])]
    }
    error_message = "The signing role may only read the linked objects (decrypting them through S3)."
  }
  assert {
    condition     = toset(flatten([for s in data.aws_iam_policy_document.this.statement : [for c in s.condition : c.values] if s.sid == "DecryptThemThroughS3"])) == toset(["s3.us-east-1.amazonaws.com"])
    error_message = "The key is used through S3 only."
  }
  assert {
    condition     = aws_iam_role.this.permissions_boundary == var.permissions_boundary && aws_iam_role.this.name == var.name && aws_iam_role.this.max_session_duration == 3600 && aws_iam_role_policy.this.name == var.name
    error_message = "The signing role carries the platform boundary and allows the hour STS grants a chained session."
  }
}

run "rejects_a_name_longer_than_iam_allows" {
  command = plan
  variables {
    name = "a${join("", [for i in range(64) : "b"])}"
  }
  expect_failures = [var.name]
}

run "rejects_objects_that_are_no_s3_object_pattern" {
  command = plan
  variables {
    objects_arn = "arn:aws:s3:::genai-dev-generated-code-123456789012"
  }
  expect_failures = [var.objects_arn]
}
