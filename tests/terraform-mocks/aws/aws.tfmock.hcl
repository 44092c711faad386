# Account 123456789012 in us-east-1, as in the environments' tfvars.

mock_data "aws_caller_identity" {
  defaults = {
    account_id = "123456789012"
    arn        = "arn:aws:sts::123456789012:assumed-role/genai-dev-github-apply/github-actions"
    user_id    = "AROAEXAMPLEROLEID:github-actions"
  }
}

mock_data "aws_partition" {
  defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
}

mock_data "aws_region" {
  defaults = { region = "us-east-1" }
}

mock_data "aws_availability_zones" {
  defaults = { names = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"] }
}

mock_data "aws_iam_policy_document" {
  defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}

mock_data "aws_iam_openid_connect_provider" {
  defaults = { arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
}

mock_data "aws_kms_alias" {
  defaults = { target_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000001" }
}

mock_data "aws_eks_cluster" {
  defaults = {
    endpoint              = "https://0123456789ABCDEF0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com"
    certificate_authority = [{ data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==" }]
  }
}

mock_resource "aws_kms_key" {
  defaults = {
    arn    = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    key_id = "11111111-2222-3333-4444-555555555555"
  }
}

mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::123456789012:role/genai-dev-mock" }
}

mock_resource "aws_iam_policy" {
  defaults = { arn = "arn:aws:iam::123456789012:policy/genai-dev-mock" }
}

mock_resource "aws_s3_bucket" {
  defaults = { arn = "arn:aws:s3:::genai-dev-mock-123456789012" }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/genai-dev-mock" }
}

mock_resource "aws_dynamodb_table" {
  defaults = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/genai-dev-mock" }
}

mock_resource "aws_lambda_function" {
  defaults = { arn = "arn:aws:lambda:us-east-1:123456789012:function:genai-dev-mock" }
}

mock_resource "aws_lambda_invocation" {
  defaults = { result = "{\"status\":\"created\"}" }
}

mock_resource "aws_ecr_repository" {
  defaults = { arn = "arn:aws:ecr:us-east-1:123456789012:repository/genai/dev/mock" }
}

mock_resource "aws_security_group" {
  defaults = { id = "sg-0123456789abcdef0" }
}

mock_resource "aws_opensearchserverless_collection" {
  defaults = {
    arn                 = "arn:aws:aoss:us-east-1:123456789012:collection/abcdefghij0123456789"
    collection_endpoint = "https://abcdefghij0123456789.us-east-1.aoss.amazonaws.com"
  }
}

mock_resource "aws_opensearchserverless_vpc_endpoint" {
  defaults = { id = "vpce-0123456789abcdef0" }
}

mock_resource "aws_bedrockagent_knowledge_base" {
  defaults = {
    id  = "KBMOCK0001"
    arn = "arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KBMOCK0001"
  }
}

mock_resource "aws_bedrockagent_data_source" {
  defaults = { data_source_id = "DSMOCK0001" }
}

mock_resource "aws_bedrockagent_agent" {
  defaults = {
    agent_id  = "AGENTMOCK1"
    agent_arn = "arn:aws:bedrock:us-east-1:123456789012:agent/AGENTMOCK1"
  }
}

mock_resource "aws_bedrockagent_agent_alias" {
  defaults = {
    agent_alias_id  = "ALIASMOCK1"
    agent_alias_arn = "arn:aws:bedrock:us-east-1:123456789012:agent-alias/AGENTMOCK1/ALIASMOCK1"
  }
}

mock_resource "aws_bedrock_guardrail" {
  defaults = {
    guardrail_id  = "gr0mock0001"
    guardrail_arn = "arn:aws:bedrock:us-east-1:123456789012:guardrail/gr0mock0001"
  }
}

mock_resource "aws_bedrock_guardrail_version" {
  defaults = { version = "1" }
}

mock_resource "aws_bedrock_inference_profile" {
  defaults = { arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6" }
}
