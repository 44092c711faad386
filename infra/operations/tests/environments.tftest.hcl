# Planned once per environment with environments/<env>/operations.tfvars (scripts/tf-test): the
# MWAA environment on and off, the execution role allowing exactly what the DAGs call, the
# Bedrock service roles, and the Airflow Variables the DAGs read.

mock_provider "aws" {
  override_during = plan
  source          = "tests/mocks/aws"
}

run "plan" {
  command = plan

  assert {
    condition     = alltrue([for role in aws_iam_role.bedrock : role.permissions_boundary == "arn:aws:iam::123456789012:policy/genai-env-permissions-boundary"])
    error_message = "The Bedrock service roles carry the platform's permissions boundary (the CI apply role creates no role without it)."
  }

  assert {
    condition     = length(aws_mwaa_environment.this) == (var.mwaa_enabled ? 1 : 0) && length(aws_iam_role.airflow) == length(aws_mwaa_environment.this) && length(aws_security_group.airflow) == length(aws_mwaa_environment.this)
    error_message = "The environment, its role and its security group exist exactly when mwaa_enabled is set."
  }
  assert {
    condition     = local.production ? var.mwaa_enabled && !local.force_destroy : !var.mwaa_enabled && local.force_destroy
    error_message = "Production-tier environments run MWAA and keep their buckets on destroy; development-tier ones leave MWAA off (it is billed every hour it exists) and let a destroy empty their buckets."
  }
  assert {
    condition = toset(keys(aws_ssm_parameter.airflow_variables)) == toset([
      "aws_region", "knowledge_base_id", "data_source_id", "documents_bucket", "documents_prefix",
      "rag_model_arn", "rag_min_hit_rate", "operations_bucket", "operations_kms_key_arn",
      "batch_model_id", "batch_role_arn", "reviews_archive_bucket", "reviews_archive_prefix",
      "collection_endpoint", "batch_index", "customization_base_model_id", "customization_role_arn",
      "customization_training_uri", "customization_output_uri", "provisioned_throughput_enabled",
      "invoke_model_id", "platform_environment", "metering_app", "metered_models",
    ]) && alltrue([for k, p in aws_ssm_parameter.airflow_variables : p.name == "/genai/${var.environment}/airflow/variables/${k}" && p.type == "String"])
    error_message = "Every Airflow Variable of the contract is published, as a String, under /<project>/<env>/airflow/variables/."
  }
  assert {
    condition = {
      for k in ["knowledge_base_id", "data_source_id", "documents_bucket", "reviews_archive_bucket", "reviews_archive_prefix", "collection_endpoint", "batch_index", "operations_bucket", "operations_kms_key_arn", "aws_region"] :
      k => nonsensitive(aws_ssm_parameter.airflow_variables[k].value)
      } == {
      knowledge_base_id      = "KBMOCK0001"
      data_source_id         = "DSMOCK0001"
      documents_bucket       = "genai-env-kb-documents-123456789012"
      reviews_archive_bucket = "genai-env-reviews-archive-123456789012"
      reviews_archive_prefix = "reviews/"
      collection_endpoint    = "https://reviewsmock0001.us-east-1.aoss.amazonaws.com"
      batch_index            = "batch_reviews"
      operations_bucket      = "genai-env-operations-123456789012"
      operations_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
      aws_region             = "us-east-1"
    }
    error_message = "Ids come from what the bedrock and streaming stacks publish, never from tfvars."
  }
  assert {
    condition     = nonsensitive(aws_ssm_parameter.airflow_variables["customization_training_uri"].value) == "s3://genai-env-operations-123456789012/customization/data/train.jsonl" && nonsensitive(aws_ssm_parameter.airflow_variables["customization_output_uri"].value) == "s3://genai-env-operations-123456789012/customization/output/"
    error_message = "Customization reads and writes under customization/ of the work bucket."
  }
  assert {
    condition     = nonsensitive(aws_ssm_parameter.airflow_variables["rag_min_hit_rate"].value) == tostring(var.rag_min_hit_rate) && contains(["true", "false"], nonsensitive(aws_ssm_parameter.airflow_variables["provisioned_throughput_enabled"].value)) && nonsensitive(aws_ssm_parameter.airflow_variables["rag_model_arn"].value) == "arn:aws:bedrock:us-east-1:123456789012:inference-profile/${local.models.rag.model_id}"
    error_message = "Thresholds and switches are strings the DAGs parse; the RAG model is passed as its profile's ARN."
  }
  assert {
    condition = nonsensitive(aws_ssm_parameter.airflow_variables["platform_environment"].value) == var.environment && nonsensitive(aws_ssm_parameter.airflow_variables["metering_app"].value) == "bedrock-ops" && jsondecode(nonsensitive(aws_ssm_parameter.airflow_variables["metered_models"].value)) == {
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/${local.models.rag.model_id}" = local.models.rag.foundation_model_id
      (local.models.invoke.model_id)                                                          = local.models.invoke.foundation_model_id
    } && local.models.invoke.foundation_model_id != local.models.invoke.model_id
    error_message = "The DAGs' meter learns its app (apps/bedrock_ops/app.yaml), environment and the model behind each profile they call."
  }
  assert {
    condition     = aws_ssm_parameter.outputs["dags-bucket"].name == "/genai/${var.environment}/operations/dags-bucket" && nonsensitive(aws_ssm_parameter.outputs["dags-bucket"].value) == "genai-env-airflow-123456789012"
    error_message = "CI finds the DAGs bucket in every environment."
  }
  assert {
    condition     = contains(keys(aws_ssm_parameter.outputs), "environment-name") == var.mwaa_enabled
    error_message = "environment-name is published only while MWAA runs (CI triggers the smoke DAG only then)."
  }
  assert {
    condition     = aws_s3_object.requirements.key == "requirements.txt" && endswith(aws_s3_object.requirements.source, "apps/bedrock_ops/mwaa-requirements.txt") && aws_s3_object.requirements.kms_key_id == module.key.arn
    error_message = "requirements.txt is uploaded from apps/bedrock_ops, under the stack's key."
  }
}

# The environment's dashboard, alarms and budget (modules/observability).
run "observability" {
  command = plan

  assert {
    condition     = module.observability.dashboard_name == "genai-${var.environment}" && module.observability.budget_name == "genai-${var.environment}-monthly"
    error_message = "One dashboard and one cost budget per environment."
  }
  assert {
    condition = toset(module.observability.alarm_names) == toset(concat(
      [for a in ["errors", "throttles", "budget"] : "genai-${var.environment}-model-${a}"],
      ["genai-${var.environment}-flink-restarts", "genai-${var.environment}-lambda-errors-genai-${var.environment}-code-generation", "genai-${var.environment}-lambda-errors-genai-${var.environment}-case-sheets"],
    ))
    error_message = "Model errors, throttles and budgets, Flink restarts and the functions' errors alarm."
  }
  assert {
    condition     = module.observability.alarm_topic_arn == "arn:aws:sns:us-east-1:123456789012:genai-env-alarms"
    error_message = "Alarms notify the environment's topic."
  }
}

run "mwaa_on" {
  command = plan
  variables {
    mwaa_enabled            = true
    webserver_allowed_cidrs = ["10.99.0.0/16"]
  }

  assert {
    condition     = aws_mwaa_environment.this[0].name == "genai-${var.environment}-airflow" && aws_mwaa_environment.this[0].airflow_version == "3.0.6"
    error_message = "One environment, <project>-<env>-airflow, on Airflow 3.0.6."
  }
  assert {
    condition     = aws_mwaa_environment.this[0].webserver_access_mode == "PRIVATE_ONLY" && aws_mwaa_environment.this[0].endpoint_management == "SERVICE"
    error_message = "The web server is private: reachable only through its VPC endpoint."
  }
  assert {
    condition     = aws_mwaa_environment.this[0].network_configuration[0].subnet_ids == toset(["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]) && aws_mwaa_environment.this[0].network_configuration[0].security_group_ids == toset(["sg-0123456789abcdef0"])
    error_message = "Exactly two private subnets of the platform VPC, and the environment's own security group."
  }
  assert {
    condition     = aws_security_group.airflow[0].vpc_id == "vpc-0123456789abcdef0"
    error_message = "The security group is in the platform VPC."
  }
  assert {
    condition     = aws_mwaa_environment.this[0].environment_class == var.environment_class && aws_mwaa_environment.this[0].min_workers == var.min_workers && aws_mwaa_environment.this[0].max_workers == var.max_workers && aws_mwaa_environment.this[0].schedulers == var.schedulers
    error_message = "Class, workers and schedulers come from the environment's tfvars."
  }
  assert {
    condition = alltrue([
      for logs in [
        aws_mwaa_environment.this[0].logging_configuration[0].dag_processing_logs[0],
        aws_mwaa_environment.this[0].logging_configuration[0].scheduler_logs[0],
        aws_mwaa_environment.this[0].logging_configuration[0].task_logs[0],
        aws_mwaa_environment.this[0].logging_configuration[0].webserver_logs[0],
        aws_mwaa_environment.this[0].logging_configuration[0].worker_logs[0],
      ] : logs.enabled && logs.log_level == var.airflow_log_level
    ])
    error_message = "All five Airflow logs go to CloudWatch Logs."
  }
  assert {
    condition     = toset([for g in aws_cloudwatch_log_group.airflow : g.name]) == toset([for c in ["DAGProcessing", "Scheduler", "Task", "WebServer", "Worker"] : "airflow-genai-${var.environment}-airflow-${c}"]) && alltrue([for g in aws_cloudwatch_log_group.airflow : g.kms_key_id == module.key.arn && g.retention_in_days == var.log_retention_days])
    error_message = "The five log groups MWAA writes to exist first, encrypted and with a retention."
  }
  assert {
    condition     = aws_mwaa_environment.this[0].source_bucket_arn == "arn:aws:s3:::genai-env-airflow-123456789012" && aws_mwaa_environment.this[0].dag_s3_path == "dags/" && aws_mwaa_environment.this[0].requirements_s3_path == "requirements.txt" && aws_mwaa_environment.this[0].requirements_s3_object_version == "requirements-v1"
    error_message = "DAGs from dags/ of the DAGs bucket; requirements pinned to the uploaded object's version."
  }
  assert {
    condition     = aws_mwaa_environment.this[0].kms_key == module.key.arn && aws_mwaa_environment.this[0].execution_role_arn == aws_iam_role.airflow[0].arn && aws_iam_role.airflow[0].name == "genai-${var.environment}-airflow"
    error_message = "The environment is encrypted with the stack's key and runs as <project>-<env>-airflow (the name the streaming stack admits)."
  }
  assert {
    condition = local.airflow_configuration == {
      "secrets.backend"        = "airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend"
      "secrets.backend_kwargs" = jsonencode({ connections_prefix = "/genai/${var.environment}/airflow/connections", variables_prefix = "/genai/${var.environment}/airflow/variables" })
    }
    error_message = "Airflow reads Variables and Connections from SSM under /<project>/<env>/airflow/."
  }
  assert {
    condition     = nonsensitive(aws_ssm_parameter.outputs["environment-name"].value) == "genai-${var.environment}-airflow"
    error_message = "CI finds the environment by name."
  }
  assert {
    condition     = [for r in aws_vpc_security_group_ingress_rule.airflow_webserver : r.cidr_ipv4] == ["10.99.0.0/16"] && aws_vpc_security_group_ingress_rule.airflow_self[0].ip_protocol == "-1" && aws_vpc_security_group_egress_rule.airflow_https[0].from_port == 443
    error_message = "The group admits itself and the listed networks on 443, and sends HTTPS out."
  }
  assert {
    condition     = one(one(data.aws_iam_policy_document.airflow_trust.statement).principals).identifiers == toset(["airflow.amazonaws.com", "airflow-env.amazonaws.com"]) && contains(flatten([for c in one(data.aws_iam_policy_document.airflow_trust.statement).condition : c.values]), "arn:aws:airflow:us-east-1:123456789012:environment/genai-${var.environment}-airflow")
    error_message = "Only MWAA, for this environment, assumes the execution role."
  }
}

run "mwaa_off" {
  command = plan
  variables {
    mwaa_enabled            = false
    webserver_allowed_cidrs = ["10.99.0.0/16"]
  }

  assert {
    condition     = length(aws_mwaa_environment.this) == 0 && length(aws_iam_role.airflow) == 0 && length(aws_iam_role_policy.airflow) == 0 && length(aws_security_group.airflow) == 0 && length(aws_vpc_security_group_ingress_rule.airflow_webserver) == 0 && length(aws_cloudwatch_log_group.airflow) == 0
    error_message = "Nothing billed by the hour, and no execution role, while MWAA is off."
  }
  assert {
    condition     = keys(aws_ssm_parameter.outputs) == ["alarm-names", "dags-bucket", "dashboard-name"] && length(aws_ssm_parameter.airflow_variables) == 24 && length(aws_iam_role.bedrock) == 2
    error_message = "The DAGs bucket, the Airflow Variables and the Bedrock roles stay: the DAGs run from a laptop against them."
  }
}

run "execution_policy" {
  command = plan
  variables {
    mwaa_enabled = true
  }

  assert {
    condition = { for s in data.aws_iam_policy_document.airflow.statement : s.sid => s.resources } == {
      PublishEnvironmentMetrics        = toset(["arn:aws:airflow:us-east-1:123456789012:environment/genai-${var.environment}-airflow"])
      ReadTheDagsBucket                = toset(["arn:aws:s3:::genai-env-airflow-123456789012", "arn:aws:s3:::genai-env-airflow-123456789012/*"])
      CheckTheAccountPublicAccessBlock = toset(["*"])
      WriteItsLogs                     = toset(["arn:aws:logs:us-east-1:123456789012:log-group:airflow-genai-${var.environment}-airflow-*"])
      ListLogGroups                    = toset(["arn:aws:logs:us-east-1:123456789012:log-group:*"])
      PublishMetricData                = toset(["*"])
      UseTheCeleryQueues               = toset(["arn:aws:sqs:us-east-1:*:airflow-celery-*"])
      UseTheKeyThroughSqsAndS3         = toset(["arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"])
      ReadAirflowVariables             = toset(["arn:aws:ssm:us-east-1:123456789012:parameter/genai/${var.environment}/airflow/*"])
      ListTheDocuments                 = toset(["arn:aws:s3:::genai-env-kb-documents-123456789012"])
      ReadAndWriteTheDocuments         = toset(["arn:aws:s3:::genai-env-kb-documents-123456789012/competency/*"])
      UseTheDocumentsKeyThroughS3      = toset(["arn:aws:kms:us-east-1:123456789012:key/33333333-3333-3333-3333-333333333333"])
      IngestIntoTheKnowledgeBase       = toset(["arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KBMOCK0001"])
      RetrieveFromTheKnowledgeBase     = toset(["arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KBMOCK0001"])
      RetrieveAndGenerate              = toset(["*"])
      WriteEvaluationResults           = toset(["arn:aws:s3:::genai-env-operations-123456789012/rag-evaluation/*"])
      InvokeModelsThroughProfiles      = toset(["arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0"])
      InvokeModelsBehindProfiles       = toset(["arn:aws:bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0"])
      ListTheArchive                   = toset(["arn:aws:s3:::genai-env-reviews-archive-123456789012"])
      ReadTheArchive                   = toset(["arn:aws:s3:::genai-env-reviews-archive-123456789012/reviews/*"])
      DecryptTheArchiveThroughS3       = toset(["arn:aws:kms:us-east-1:123456789012:key/22222222-2222-2222-2222-222222222222"])
      WriteAndReadBatchInput           = toset(["arn:aws:s3:::genai-env-operations-123456789012/batch-input/*"])
      ListBatchOutput                  = toset(["arn:aws:s3:::genai-env-operations-123456789012"])
      ReadBatchOutput                  = toset(["arn:aws:s3:::genai-env-operations-123456789012/batch-output/*"])
      StartBatchJobs = toset([
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0",
        "arn:aws:bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
        "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/*",
      ])
      FollowBatchJobs  = toset(["arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/*"])
      PassTheBatchRole = toset(["arn:aws:iam::123456789012:role/genai-env-bedrock-batch"])
      LoadBatchResults = toset(["arn:aws:aoss:us-east-1:123456789012:collection/reviewsmock0001"])
      CustomizeTheBaseModel = toset([
        "arn:aws:bedrock:us-east-1::foundation-model/${local.customization_base}",
        "arn:aws:bedrock:us-east-1:123456789012:custom-model/*",
        "arn:aws:bedrock:us-east-1:123456789012:model-customization-job/*",
      ])
      FollowCustomizationJobs      = toset(["arn:aws:bedrock:us-east-1:123456789012:model-customization-job/*"])
      CleanUpProvisionedThroughput = toset(["arn:aws:bedrock:us-east-1:123456789012:provisioned-model/*"])
      PassTheCustomizationRole     = toset(["arn:aws:iam::123456789012:role/genai-env-bedrock-customization"])
    }
    error_message = "The execution role reaches MWAA's own resources and exactly what the five DAGs call (provisioned throughput off: no CreateProvisionedModelThroughput)."
  }
  assert {
    condition = { for s in data.aws_iam_policy_document.airflow.statement : s.sid => s.actions if contains(tolist(s.resources), "*") } == {
      CheckTheAccountPublicAccessBlock = toset(["s3:GetAccountPublicAccessBlock"])
      PublishMetricData                = toset(["cloudwatch:PutMetricData"])
      RetrieveAndGenerate              = toset(["bedrock:RetrieveAndGenerate"])
    }
    error_message = "Only actions that take no resource ARN are allowed on '*'."
  }
  assert {
    condition = [
      for s in data.aws_iam_policy_document.airflow.statement : [for c in s.condition : [c.test, c.variable, toset(c.values)]] if contains(tolist(s.actions), "cloudwatch:PutMetricData")
      ] == [[[
        "StringEquals", "cloudwatch:namespace", toset(["AmazonMWAA", jsondecode(file("../../apps/genai_common/metering/metering.json")).namespace])
    ]]]
    error_message = "Metrics go only to Airflow's namespace and to metering.json's (the DAGs' model calls), in one statement."
  }
  assert {
    condition = alltrue([
      for s in data.aws_iam_policy_document.airflow.statement : alltrue([for c in s.condition : c.values == tolist(["bedrock.amazonaws.com"])]) if startswith(s.sid, "Pass")
    ])
    error_message = "The Bedrock service roles may be passed to Bedrock only."
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.airflow.statement : s.actions if s.sid == "IngestIntoTheKnowledgeBase"]) == toset(["bedrock:StartIngestionJob", "bedrock:GetIngestionJob"]) && one([for s in data.aws_iam_policy_document.airflow.statement : s.actions if s.sid == "StartBatchJobs"]) == toset(["bedrock:CreateModelInvocationJob"])
    error_message = "The DAGs start and follow jobs; nothing else on those resources."
  }
  assert {
    condition     = aws_iam_role_policy.airflow[0].role == aws_iam_role.airflow[0].name
    error_message = "The policy is attached to the execution role."
  }
}

run "provisioned_throughput_enabled" {
  command = plan
  variables {
    mwaa_enabled                   = true
    provisioned_throughput_enabled = true
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.airflow.statement : s.actions if s.sid == "BuyProvisionedThroughput"]) == toset(["bedrock:CreateProvisionedModelThroughput"])
    error_message = "Only when enabled may the DAG buy provisioned throughput."
  }
  assert {
    condition     = nonsensitive(aws_ssm_parameter.airflow_variables["provisioned_throughput_enabled"].value) == "true"
    error_message = "The DAG is told it may."
  }
}

run "foundation_models_without_profiles" {
  command = plan
  variables {
    mwaa_enabled = true
  }

  # A catalog whose roles name foundation models, not inference profiles.
  override_module {
    target = module.environment
    outputs = {
      name       = "env"
      tier       = "production"
      production = true
      region     = "us-east-1"
      models = {
        rag                = { label = "Nova Lite", model_id = "amazon.nova-lite-v1:0", foundation_model_id = "amazon.nova-lite-v1:0" }
        invoke             = { label = "Nova Micro", model_id = "amazon.nova-micro-v1:0", foundation_model_id = "amazon.nova-micro-v1:0" }
        batch              = { label = "Nova Lite", model_id = "amazon.nova-lite-v1:0", foundation_model_id = "amazon.nova-lite-v1:0" }
        customization_base = { label = "Nova Micro (128k)", model_id = "amazon.nova-micro-v1:0:128k", foundation_model_id = "amazon.nova-micro-v1:0:128k" }
      }
    }
  }

  assert {
    condition     = nonsensitive(aws_ssm_parameter.airflow_variables["rag_model_arn"].value) == "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0" && nonsensitive(aws_ssm_parameter.airflow_variables["invoke_model_id"].value) == "amazon.nova-micro-v1:0"
    error_message = "A foundation model is passed as its ARN in the Region."
  }
  assert {
    condition = { for s in data.aws_iam_policy_document.airflow.statement : s.sid => s.resources if startswith(s.sid, "InvokeModels") || s.sid == "InvokeFoundationModels" } == {
      InvokeFoundationModels = toset(["arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0", "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0"])
    }
    error_message = "Foundation models are invoked in the Region only, with no profile statements."
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.bedrock["batch"].statement : s.resources if s.sid == "InvokeTheBatchModel"]) == toset(["arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0"]) && length([for s in data.aws_iam_policy_document.bedrock["batch"].statement : s if s.sid == "InvokeTheModelBehindTheProfile"]) == 0
    error_message = "The batch role invokes the foundation model itself."
  }
}

run "bedrock_service_roles" {
  command = plan

  assert {
    condition     = aws_iam_role.bedrock["batch"].name == "genai-${var.environment}-bedrock-batch" && aws_iam_role.bedrock["customization"].name == "genai-${var.environment}-bedrock-customization"
    error_message = "The service roles are named under the environment prefix (the CI role manages only those)."
  }
  assert {
    condition = {
      for k, d in data.aws_iam_policy_document.bedrock_trust : k => {
        principals = one(one(d.statement).principals).identifiers
        conditions = { for c in one(d.statement).condition : c.variable => c.values }
      }
      } == {
      batch = {
        principals = toset(["bedrock.amazonaws.com"])
        conditions = { "aws:SourceAccount" = tolist(["123456789012"]), "aws:SourceArn" = tolist(["arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/*"]) }
      }
      customization = {
        principals = toset(["bedrock.amazonaws.com"])
        conditions = { "aws:SourceAccount" = tolist(["123456789012"]), "aws:SourceArn" = tolist(["arn:aws:bedrock:us-east-1:123456789012:model-customization-job/*"]) }
      }
    }
    error_message = "Bedrock assumes each role only for this account's jobs of its kind."
  }
  assert {
    condition = { for s in data.aws_iam_policy_document.bedrock["batch"].statement : s.sid => s.resources } == {
      ListTheBucket                  = toset(["arn:aws:s3:::genai-env-operations-123456789012"])
      ReadItsInput                   = toset(["arn:aws:s3:::genai-env-operations-123456789012/batch-input/*"])
      WriteItsOutput                 = toset(["arn:aws:s3:::genai-env-operations-123456789012/batch-output/*"])
      UseTheBucketKeyThroughS3       = toset(["arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"])
      InvokeTheBatchModel            = toset(["arn:aws:bedrock:us-east-1:123456789012:inference-profile/${local.models.batch.model_id}"])
      InvokeTheModelBehindTheProfile = toset(["arn:aws:bedrock:*::foundation-model/${local.models.batch.foundation_model_id}"])
    }
    error_message = "Batch jobs read batch-input/, write batch-output/ and call the batch model only."
  }
  assert {
    condition = { for s in data.aws_iam_policy_document.bedrock["customization"].statement : s.sid => s.resources } == {
      ListTheBucket            = toset(["arn:aws:s3:::genai-env-operations-123456789012"])
      ReadItsInput             = toset(["arn:aws:s3:::genai-env-operations-123456789012/customization/data/*"])
      WriteItsOutput           = toset(["arn:aws:s3:::genai-env-operations-123456789012/customization/output/*"])
      UseTheBucketKeyThroughS3 = toset(["arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"])
    }
    error_message = "Customization jobs read customization/data/ and write customization/output/ only."
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.bedrock["customization"].statement : one([for c in s.condition : c.values if c.variable == "aws:ResourceAccount"]) if s.sid == "ListTheBucket"]) == tolist(["123456789012"])
    error_message = "Listing is confined to the account's own bucket."
  }
}

run "needs_two_private_subnets" {
  command = plan
  variables {
    mwaa_enabled = true
  }

  override_data {
    target = data.aws_ssm_parameter.platform["private-subnet-ids"]
    values = { value = "subnet-0aaaaaaaaaaaaaaa1" }
  }

  expect_failures = [aws_mwaa_environment.this]
}
