# The stack's own validations whose outcome no environment's tfvars or tier can change (the
# others stay in environments.tftest.hcl): run once, with the first environment's tfvars
# (scripts/tf-test). The mocks and overrides are environments.tftest.hcl's, so that each run
# fails on its validation alone.

mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

mock_provider "kubernetes" {}
mock_provider "helm" {}

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
  target          = aws_cognito_user_pool.jupyterhub
  override_during = plan
  values          = { id = "us-east-1_Example12", arn = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example12" }
}

override_resource {
  target          = aws_cognito_user_pool_client.jupyterhub
  override_during = plan
  values          = { id = "1example23456789abcdefghij" }
}

variables {
  image_tag = "0123456789abcdef0123456789abcdef01234567"
}

run "rejects_a_served_loyalty_model_without_an_adapter" {
  command = plan
  variables {
    loyalty_model = { provider = "served" }
  }
  expect_failures = [var.loyalty_model]
}

run "rejects_a_run_name_with_a_slash" {
  command = plan
  variables {
    loyalty_adapter = { run = "../other/run" }
  }
  expect_failures = [var.loyalty_adapter]
}

run "rejects_a_submitter_that_is_not_an_iam_arn" {
  command = plan
  variables {
    finetune_submitter_arns = ["data-scientists"]
  }
  expect_failures = [var.finetune_submitter_arns]
}

run "rejects_a_jupyterhub_chart_outside_4x" {
  command = plan
  variables {
    jupyterhub_chart_version = "3.3.8"
  }
  expect_failures = [var.jupyterhub_chart_version]
}

run "rejects_user_names_with_cognito" {
  command = plan
  variables {
    jupyterhub_authenticator = "cognito"
    jupyterhub_allowed_users = ["data-scientist"]
    jupyterhub_admin_users   = []
  }
  expect_failures = [var.jupyterhub_allowed_users]
}

run "rejects_a_plain_http_url_other_than_localhost" {
  command = plan
  variables {
    jupyterhub_url = "http://notebooks.example.internal"
  }
  expect_failures = [var.jupyterhub_url]
}

run "rejects_jupyterhub_on_the_internet" {
  command = plan
  variables {
    jupyterhub_exposure = "internet"
  }
  expect_failures = [var.jupyterhub_exposure]
}

run "rejects_an_internal_load_balancer_without_a_certificate" {
  command = plan
  variables {
    jupyterhub_exposure = "internal"
    jupyterhub_url      = "https://notebooks.example.internal"
  }
  expect_failures = [var.jupyterhub_exposure]
}

run "rejects_a_certificate_that_is_not_from_acm" {
  command = plan
  variables {
    jupyterhub_certificate_arn = "arn:aws:iam::123456789012:server-certificate/notebooks"
  }
  expect_failures = [var.jupyterhub_certificate_arn]
}

run "rejects_an_idle_timeout_under_10_minutes" {
  command = plan
  variables {
    jupyterhub_idle_timeout_minutes = 5
  }
  expect_failures = [var.jupyterhub_idle_timeout_minutes]
}

run "rejects_an_empty_home_volume" {
  command = plan
  variables {
    notebook_home_size_gib = 0
  }
  expect_failures = [var.notebook_home_size_gib]
}

run "rejects_a_latest_notebook_image" {
  command = plan
  variables {
    notebook_images = { cpu = "quay.io/jupyter/scipy-notebook:latest", gpu = "quay.io/jupyter/pytorch-notebook:cuda12-2026-08-03" }
  }
  expect_failures = [var.notebook_images]
}

run "rejects_sharing_the_notebooks_prefix" {
  command = plan
  variables {
    notebook_read_prefixes = ["datasets/", "notebooks/"]
  }
  expect_failures = [var.notebook_read_prefixes]
}

run "rejects_an_unpinned_qdrant_chart" {
  command = plan
  variables {
    qdrant_chart_version = "1.19"
  }
  expect_failures = [var.qdrant_chart_version]
}

run "rejects_an_empty_qdrant_volume" {
  command = plan
  variables {
    qdrant_storage_gib = 0
  }
  expect_failures = [var.qdrant_storage_gib]
}

run "rejects_a_snapshot_volume_smaller_than_the_storage" {
  command = plan
  variables {
    qdrant_storage_gib          = 20
    qdrant_snapshot_storage_gib = 5
  }
  expect_failures = [var.qdrant_snapshot_storage_gib]
}

run "rejects_qdrant_memory_in_decimal_units" {
  command = plan
  variables {
    qdrant_memory = "2GB"
  }
  expect_failures = [var.qdrant_memory]
}

run "rejects_a_collection_name_with_a_slash" {
  command = plan
  variables {
    shop_collection = "myretail/products"
  }
  expect_failures = [var.shop_collection]
}

run "rejects_a_history_kept_for_no_time" {
  command = plan
  variables {
    shop_history_ttl_hours = 0
  }
  expect_failures = [var.shop_history_ttl_hours]
}

run "rejects_an_unknown_loyalty_provider" {
  command = plan
  variables {
    loyalty_model = { provider = "ollama" }
  }
  expect_failures = [var.loyalty_model]
}

run "rejects_an_openai_loyalty_model_without_a_server" {
  command = plan
  variables {
    loyalty_model = { provider = "openai", openai_model = "myelite-llama3" }
  }
  expect_failures = [var.loyalty_model]
}

run "rejects_a_latest_image_tag" {
  command = plan
  variables {
    image_tag = "latest"
  }
  expect_failures = [var.image_tag]
}

run "rejects_a_missing_image_tag" {
  command = plan
  variables {
    image_tag = null
  }
  expect_failures = [var.image_tag]
}

run "rejects_an_unknown_kb_mode" {
  command = plan
  variables {
    kb_mode = "generate"
  }
  expect_failures = [var.kb_mode]
}

run "rejects_more_than_20_passages" {
  command = plan
  variables {
    kb_number_of_results = 50
  }
  expect_failures = [var.kb_number_of_results]
}

run "rejects_a_project_starting_with_a_digit" {
  command = plan
  variables {
    project = "1genai"
  }
  expect_failures = [var.project]
}

run "rejects_an_unknown_environment" {
  command = plan
  variables {
    environment = "missing"
  }
  expect_failures = [var.environment]
}

run "rejects_options_for_an_undeclared_app" {
  command = plan
  variables {
    apps = { "claude-chatt" = { exposure = "internal" } }
  }
  expect_failures = [var.apps]
}

run "rejects_zero_replicas_of_an_app" {
  command = plan
  variables {
    apps = { "claude-chat" = { replicas = 0 } }
  }
  expect_failures = [var.apps]
}

run "rejects_an_unknown_exposure_of_an_app" {
  command = plan
  variables {
    apps = { "claude-chat" = { exposure = "public" } }
  }
  expect_failures = [var.apps]
}

run "rejects_an_app_on_the_internet_without_an_allow_list" {
  command = plan
  variables {
    apps = { "claude-chat" = { exposure = "internet" } }
  }
  expect_failures = [var.apps]
}
