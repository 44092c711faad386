# What the stack reads from the other stacks (SSM parameters) and what AWS would compute, for all
# of the stack's test files (the mock provider plans with them: override_during = plan).
# aws.tfmock.hcl links to the defaults every test shares (tests/terraform-mocks/aws): a
# mock_provider takes a single source directory, and the link keeps one copy of each.

override_data {
  target = data.aws_ssm_parameter.platform["permissions-boundary-arn"]
  values = { value = "arn:aws:iam::123456789012:policy/genai-env-permissions-boundary" }
}

override_data {
  target = data.aws_ssm_parameter.platform["vpc-id"]
  values = { value = "vpc-0123456789abcdef0" }
}

override_data {
  target = data.aws_ssm_parameter.platform["private-subnet-ids"]
  values = { value = "subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2,subnet-0ccccccccccccccc3" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["knowledge-base-id"]
  values = { value = "KBMOCK0001" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["knowledge-base-arn"]
  values = { value = "arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KBMOCK0001" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["data-source-id"]
  values = { value = "DSMOCK0001" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["documents-bucket"]
  values = { value = "genai-env-kb-documents-123456789012" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["documents-prefix"]
  values = { value = "competency/" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["kms-key-arn"]
  values = { value = "arn:aws:kms:us-east-1:123456789012:key/33333333-3333-3333-3333-333333333333" }
}

override_data {
  target = data.aws_ssm_parameter.streaming["archive-bucket"]
  values = { value = "genai-env-reviews-archive-123456789012" }
}

override_data {
  target = data.aws_ssm_parameter.streaming["archive-prefix"]
  values = { value = "reviews/" }
}

override_data {
  target = data.aws_ssm_parameter.streaming["archive-kms-key-arn"]
  values = { value = "arn:aws:kms:us-east-1:123456789012:key/22222222-2222-2222-2222-222222222222" }
}

override_data {
  target = data.aws_ssm_parameter.streaming["collection-endpoint"]
  values = { value = "https://reviewsmock0001.us-east-1.aoss.amazonaws.com" }
}

override_data {
  target = data.aws_ssm_parameter.streaming["collection-arn"]
  values = { value = "arn:aws:aoss:us-east-1:123456789012:collection/reviewsmock0001" }
}

override_data {
  target = data.aws_ssm_parameter.streaming["collection-name"]
  values = { value = "genai-env-reviews" }
}

override_data {
  target = data.aws_ssm_parameter.streaming["stream-name"]
  values = { value = "genai-env-reviews" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["code-generation-url"]
  values = { value = "https://abcde12345.execute-api.us-east-1.amazonaws.com/code-generation" }
}

override_resource {
  target = module.observability.aws_sns_topic.alarms
  values = { arn = "arn:aws:sns:us-east-1:123456789012:genai-env-alarms" }
}

override_resource {
  target = module.key.aws_kms_key.this
  values = {
    arn    = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
    key_id = "11111111-1111-1111-1111-111111111111"
  }
}

override_resource {
  target = module.work_bucket.aws_s3_bucket.this
  values = {
    id  = "genai-env-operations-123456789012"
    arn = "arn:aws:s3:::genai-env-operations-123456789012"
  }
}

override_resource {
  target = module.airflow_bucket.aws_s3_bucket.this
  values = {
    id  = "genai-env-airflow-123456789012"
    arn = "arn:aws:s3:::genai-env-airflow-123456789012"
  }
}

override_resource {
  target = aws_iam_role.bedrock["batch"]
  values = { arn = "arn:aws:iam::123456789012:role/genai-env-bedrock-batch" }
}

override_resource {
  target = aws_iam_role.bedrock["customization"]
  values = { arn = "arn:aws:iam::123456789012:role/genai-env-bedrock-customization" }
}

override_resource {
  target = aws_s3_object.requirements
  values = { version_id = "requirements-v1" }
}
