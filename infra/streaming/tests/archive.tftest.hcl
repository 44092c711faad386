# The raw-review archive (archive.tf) and what the operations stack's batch DAG may do in the
# collection (opensearch.tf). Runs once, with its own variables over the first environment's
# tfvars (scripts/tf-test).

mock_provider "aws" {
  override_during = plan
  source          = "tests/mocks/aws"
}

# time_sleep waits for IAM to propagate on a real apply; a plan needs none of it.
mock_provider "time" {}

# On top of the stack's mocks (tests/mocks/aws): the dev environment's names, and the stream's and
# the archive's keys told apart. These take precedence over the mock provider's overrides.
override_resource {
  target          = aws_kinesis_stream.reviews
  override_during = plan
  values          = { arn = "arn:aws:kinesis:us-east-1:123456789012:stream/genai-dev-reviews" }
}

override_resource {
  target          = module.key.aws_kms_key.this
  override_during = plan
  values = {
    arn    = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
    key_id = "11111111-1111-1111-1111-111111111111"
  }
}

override_resource {
  target          = module.archive_key.aws_kms_key.this
  override_during = plan
  values = {
    arn    = "arn:aws:kms:us-east-1:123456789012:key/22222222-2222-2222-2222-222222222222"
    key_id = "22222222-2222-2222-2222-222222222222"
  }
}

override_resource {
  target          = module.archive_bucket.aws_s3_bucket.this
  override_during = plan
  values = {
    id  = "genai-dev-reviews-archive-123456789012"
    arn = "arn:aws:s3:::genai-dev-reviews-archive-123456789012"
  }
}

override_resource {
  target          = aws_cloudwatch_log_stream.archive
  override_during = plan
  values          = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/kinesisfirehose/genai-dev-reviews-archive:log-stream:DestinationDelivery" }
}

variables {
  environment         = "dev"
  lambda_packages_dir = "tests/fixtures"
}

run "archive" {
  command = plan

  assert {
    condition     = aws_kinesis_firehose_delivery_stream.archive.destination == "extended_s3" && aws_kinesis_firehose_delivery_stream.archive.kinesis_source_configuration[0].kinesis_stream_arn == "arn:aws:kinesis:us-east-1:123456789012:stream/genai-dev-reviews"
    error_message = "Firehose reads the review stream and delivers to S3."
  }
  assert {
    condition     = aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].bucket_arn == "arn:aws:s3:::genai-dev-reviews-archive-123456789012" && aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].kms_key_arn == "arn:aws:kms:us-east-1:123456789012:key/22222222-2222-2222-2222-222222222222"
    error_message = "The archive is written to its own bucket under its own key."
  }
  assert {
    condition     = aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].prefix == "reviews/date=!{timestamp:yyyy-MM-dd}/" && startswith(aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].error_output_prefix, "errors/!{firehose:error-output-type}/")
    error_message = "Reviews land under reviews/date=YYYY-MM-DD/ (the batch DAG's day), failures under errors/ with their type."
  }
  assert {
    condition = aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].processing_configuration[0].enabled && [
      for p in aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].processing_configuration[0].processors : p.type
    ] == ["AppendDelimiterToRecord"]
    error_message = "A newline after every record: the archive is JSONL."
  }
  assert {
    condition     = aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].compression_format == "UNCOMPRESSED" && aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].cloudwatch_logging_options[0].enabled
    error_message = "Plain JSONL files, and delivery errors logged."
  }
  assert {
    condition     = aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].role_arn == aws_iam_role.archive.arn && aws_kinesis_firehose_delivery_stream.archive.kinesis_source_configuration[0].role_arn == aws_iam_role.archive.arn
    error_message = "One role reads the stream and writes the bucket."
  }
  assert {
    condition     = aws_cloudwatch_log_group.archive.kms_key_id == module.archive_key.arn && aws_cloudwatch_log_group.archive.retention_in_days == var.log_retention_days
    error_message = "The delivery logs are encrypted and expire like the stack's other logs."
  }
  assert {
    condition     = aws_ssm_parameter.outputs["archive-bucket"].name == "/genai/dev/streaming/archive-bucket" && aws_ssm_parameter.outputs["archive-bucket"].value == "genai-dev-reviews-archive-123456789012" && aws_ssm_parameter.outputs["archive-prefix"].name == "/genai/dev/streaming/archive-prefix" && aws_ssm_parameter.outputs["archive-prefix"].value == "reviews/"
    error_message = "The archive's bucket and prefix are published for the operations stack."
  }
  assert {
    condition     = aws_ssm_parameter.outputs["archive-kms-key-arn"].value == module.archive_key.arn
    error_message = "The archive's key is published for its readers."
  }
}

run "archive_role" {
  command = plan

  assert {
    condition = { for s in data.aws_iam_policy_document.archive.statement : s.sid => s.resources } == {
      ReadTheReviewStream            = toset(["arn:aws:kinesis:us-east-1:123456789012:stream/genai-dev-reviews"])
      DecryptTheStreamThroughKinesis = toset(["arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"])
      FindTheBucket                  = toset(["arn:aws:s3:::genai-dev-reviews-archive-123456789012"])
      WriteTheArchive                = toset(["arn:aws:s3:::genai-dev-reviews-archive-123456789012/reviews/*", "arn:aws:s3:::genai-dev-reviews-archive-123456789012/errors/*"])
      EncryptTheArchiveThroughS3     = toset(["arn:aws:kms:us-east-1:123456789012:key/22222222-2222-2222-2222-222222222222"])
      WriteDeliveryErrors            = toset(["arn:aws:logs:us-east-1:123456789012:log-group:/aws/kinesisfirehose/genai-dev-reviews-archive:log-stream:DestinationDelivery"])
    }
    error_message = "Firehose reads one stream, decrypts it, writes the archive's two prefixes under its key, and logs to its own stream."
  }
  assert {
    condition = alltrue([
      for s in data.aws_iam_policy_document.archive.statement : alltrue([for a in s.actions : !endswith(a, "*")])
    ])
    error_message = "No wildcard actions."
  }
  assert {
    condition = { for s in data.aws_iam_policy_document.archive.statement : s.sid => one(s.condition).values if length(s.condition) > 0 } == {
      DecryptTheStreamThroughKinesis = tolist(["kinesis.us-east-1.amazonaws.com"])
      EncryptTheArchiveThroughS3     = tolist(["s3.us-east-1.amazonaws.com"])
    }
    error_message = "Each key is used only through the service that holds its data."
  }
  assert {
    condition     = one(one(data.aws_iam_policy_document.archive_trust.statement).principals).identifiers == toset(["firehose.amazonaws.com"]) && one(one(data.aws_iam_policy_document.archive_trust.statement).condition).values == tolist(["123456789012"])
    error_message = "Only Firehose, for this account's streams, assumes the role."
  }
}

run "batch_index_and_access" {
  command = plan

  assert {
    condition = jsondecode(module.collection.index_inputs["batch_reviews"]).body.mappings.properties == merge(
      jsondecode(module.collection.index_inputs["processed_reviews"]).body.mappings.properties,
      { source = { type = "keyword" } },
    )
    error_message = "batch_reviews has processed_reviews' mapping plus a source keyword."
  }
  assert {
    condition = [
      for s in jsondecode(module.collection.data_access_policy) : s.Rules if s.Principal == ["arn:aws:iam::123456789012:role/genai-dev-airflow"]
      ] == [
      [{ ResourceType = "index", Resource = ["index/genai-dev-reviews/batch_reviews"], Permission = ["aoss:DescribeIndex", "aoss:ReadDocument", "aoss:WriteDocument"] }],
      [{ ResourceType = "index", Resource = ["index/genai-dev-reviews/processed_reviews"], Permission = ["aoss:DescribeIndex", "aoss:ReadDocument"] }],
    ]
    error_message = "The operations stack's MWAA role (genai-dev-airflow) writes batch_reviews and only reads processed_reviews."
  }
}

run "prod_archive" {
  command = plan
  variables {
    environment = "prod"
  }

  assert {
    condition     = aws_kinesis_firehose_delivery_stream.archive.name == "genai-prod-reviews-archive" && aws_iam_role.archive.name == "genai-prod-reviews-archive" && aws_ssm_parameter.outputs["archive-bucket"].name == "/genai/prod/streaming/archive-bucket"
    error_message = "Names follow the environment."
  }
  assert {
    condition     = contains(flatten([for s in jsondecode(module.collection.data_access_policy) : s.Principal]), "arn:aws:iam::123456789012:role/genai-prod-airflow")
    error_message = "The MWAA role of the same environment is admitted."
  }
}
