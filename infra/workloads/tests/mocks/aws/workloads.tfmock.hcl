# What the stack reads from the other stacks (SSM parameters) and what AWS would compute, for all
# of the stack's test files (the mock provider plans with them: override_during = plan).
# aws.tfmock.hcl links to the defaults every test shares (tests/terraform-mocks/aws): a
# mock_provider takes a single source directory, and the link keeps one copy of each.

override_data {
  target = data.aws_ssm_parameter.cluster_name
  values = { value = "genai-env" }
}

override_data {
  target = data.aws_eks_cluster.this
  values = { name = "genai-env" }
}

# Every declared image's repository (apps/*/app.yaml), a new app's too; the Job image's by name.
override_data {
  target = data.aws_ssm_parameter.ecr
  values = { value = "123456789012.dkr.ecr.us-east-1.amazonaws.com/genai/env/app" }
}

override_data {
  target = data.aws_ssm_parameter.ecr["finetune"]
  values = { value = "123456789012.dkr.ecr.us-east-1.amazonaws.com/genai/env/finetune" }
}

override_data {
  target = data.aws_ssm_parameter.streaming["collection-endpoint"]
  values = { value = "https://abcdefghij0123456789.us-east-1.aoss.amazonaws.com" }
}

override_data {
  target = data.aws_ssm_parameter.streaming["collection-arn"]
  values = { value = "arn:aws:aoss:us-east-1:123456789012:collection/abcdefghij0123456789" }
}

override_data {
  target = data.aws_ssm_parameter.platform["model-assets-bucket"]
  values = { value = "genai-env-model-assets-123456789012" }
}

override_data {
  target = data.aws_ssm_parameter.platform["model-assets-kms-key-arn"]
  values = { value = "arn:aws:kms:us-east-1:123456789012:key/33333333-4444-5555-6666-777777777777" }
}

override_data {
  target = data.aws_ssm_parameter.platform["permissions-boundary-arn"]
  values = { value = "arn:aws:iam::123456789012:policy/genai-env-permissions-boundary" }
}

override_data {
  target = data.aws_ssm_parameter.platform["notebook-zone"]
  values = { value = "us-east-1a" }
}

override_data {
  target = data.aws_ssm_parameter.platform["system-node-selector"]
  values = { value = "{\"genai.platform/node-pool\":\"system\"}" }
}

override_data {
  target = data.aws_ssm_parameter.platform["gpu-node-selector"]
  values = { value = "{\"nvidia.com/gpu.present\":\"true\"}" }
}

override_data {
  target = data.aws_ssm_parameter.cpu_node_selector
  values = { value = "{\"genai.platform/node-pool\":\"cpu\"}" }
}

override_data {
  target = data.aws_ssm_parameter.platform["prometheus/scraper-cidrs"]
  values = { value = "10.10.0.0/19,10.10.32.0/19,10.10.64.0/19" }
}

override_data {
  target = data.aws_ssm_parameter.platform["gpu-toleration"]
  values = { value = "{\"effect\":\"NoSchedule\",\"key\":\"nvidia.com/gpu\",\"operator\":\"Equal\",\"value\":\"true\"}" }
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
  target = data.aws_ssm_parameter.bedrock["guardrail-id"]
  values = { value = "gr0mock0001" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["guardrail-arn"]
  values = { value = "arn:aws:bedrock:us-east-1:123456789012:guardrail/gr0mock0001" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["guardrail-version"]
  values = { value = "3" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["agent-id"]
  values = { value = "AGENTMOCK1" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["agent-alias-id"]
  values = { value = "ALIASMOCK1" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["agent-alias-arn"]
  values = { value = "arn:aws:bedrock:us-east-1:123456789012:agent-alias/AGENTMOCK1/ALIASMOCK1" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["agent-kms-key-arn"]
  values = { value = "arn:aws:kms:us-east-1:123456789012:key/22222222-3333-4444-5555-666666666666" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["token-budget-table"]
  values = { value = "genai-env-token-budgets" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["token-budget-table-arn"]
  values = { value = "arn:aws:dynamodb:us-east-1:123456789012:table/genai-env-token-budgets" }
}

override_data {
  target = data.aws_ssm_parameter.bedrock["token-budget-kms-key-arn"]
  values = { value = "arn:aws:kms:us-east-1:123456789012:key/44444444-5555-6666-7777-888888888888" }
}

# Each metered app's profiles as infra/bedrock publishes them (the catalog's model id => the
# app's profile and the model behind it); the plan reads the environment's own catalog.
override_data {
  target = data.aws_ssm_parameter.inference_profiles
  values = {
    value = "{\"us.anthropic.claude-haiku-4-5-20251001-v1:0\":{\"arn\":\"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/haiku0000001\",\"foundation_model_id\":\"anthropic.claude-haiku-4-5-20251001-v1:0\"},\"us.anthropic.claude-sonnet-4-6\":{\"arn\":\"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/sonnet000001\",\"foundation_model_id\":\"anthropic.claude-sonnet-4-6\"}}"
  }
}

override_data {
  target = data.aws_iam_policy_document.converse
  values = { json = "{\"Id\":\"converse\"}" }
}

override_data {
  target = data.aws_iam_policy_document.charge_token_budgets
  values = { json = "{\"Id\":\"charge_token_budgets\"}" }
}

override_data {
  target = data.aws_iam_policy_document.kb_assistant
  values = { json = "{\"Id\":\"kb_assistant\"}" }
}

override_data {
  target = data.aws_iam_policy_document.agent_assistant
  values = { json = "{\"Id\":\"agent_assistant\"}" }
}

override_data {
  target = data.aws_iam_policy_document.shop_rag
  values = { json = "{\"Id\":\"shop_rag\"}" }
}

override_data {
  target = data.aws_iam_policy_document.notebooks
  values = { json = "{\"Id\":\"notebooks\"}" }
}

override_data {
  target = data.aws_iam_policy_document.model_assets_key_through_s3
  values = { json = "{\"Id\":\"model_assets_key_through_s3\"}" }
}

override_data {
  target = data.aws_iam_policy_document.finetune_job
  values = { json = "{\"Id\":\"finetune_job\"}" }
}

override_data {
  target = data.aws_iam_policy_document.loyalty_model
  values = { json = "{\"Id\":\"loyalty_model\"}" }
}

# A finished fine-tuning run's manifest.json, as apps/finetune/manifest.py writes it (abridged).
override_data {
  target = data.aws_s3_object.loyalty_manifest
  values = { body = "{\"schema_version\": 1, \"run\": \"loyalty-2026-12-01\", \"base_model\": {\"name\": \"meta-llama/Meta-Llama-3-8B-Instruct\", \"revision\": null, \"resolved_revision\": \"8afb486c1db24fe5011ec46dfbe5b5dccdb575c2\", \"quantization\": \"nf4-double-quant\"}, \"lora\": {\"r\": 16, \"alpha\": 32, \"dropout\": 0.05, \"target_modules\": [\"q_proj\", \"v_proj\"], \"task_type\": \"CAUSAL_LM\"}}" }
}

override_resource {
  target = aws_cognito_user_pool.jupyterhub
  values = { id = "us-east-1_Example12", arn = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example12" }
}

override_resource {
  target = aws_cognito_user_pool_client.jupyterhub
  values = { id = "1example23456789abcdefghij" }
}
