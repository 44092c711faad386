# The apps that run as Deployments: one instance of modules/k8s-app per app that declares
# `runs_on: eks-deployment` in apps/<package>/app.yaml, which gives its name, port, probes,
# resources, replicas per tier and exposure. Only what Terraform alone knows about an app is
# written here: the values of the settings it declares, in-cluster credentials, and its role's
# policy. An app without an entry gets AWS_REGION and a role with no permissions; an environment's
# var.apps may change its replicas and exposure.

locals {
  apps_dir = "${path.module}/../../apps"
  # Every declaration by app name (a name declared twice is an error of this expression).
  declared_apps = {
    for file in fileset(local.apps_dir, "*/app.yaml") :
    yamldecode(file("${local.apps_dir}/${file}")).name => yamldecode(file("${local.apps_dir}/${file}"))
  }
  image_apps  = toset([for name, app in local.declared_apps : name if try(app.image, null) != null])
  deployments = { for name, app in local.declared_apps : name => app if app.runs_on == "eks-deployment" }

  # apps/genai_common/declarations.py's default, for a declaration that states no replicas.
  default_replicas = { development = 1, production = 2 }
  app_replicas = {
    for name, app in local.deployments : name => coalesce(
      try(var.apps[name].replicas, null),
      try(app.service.replicas[local.tier], local.default_replicas[local.tier]),
    )
  }

  # The tfvars' exposure, else the declaration's; null (neither says) is k8s-app's default, cluster.
  app_exposure = {
    for name, app in local.deployments : name => try(coalesce(try(var.apps[name].exposure, null), try(app.service.exposure, null)), null)
  }

  # Every app's environment: the Region, who its model calls are metered as (the App and
  # Environment dimensions of its metrics), its token budgets (bedrock_access.tf) and its own
  # settings below.
  app_runtime_env = {
    for name in keys(local.deployments) : name => merge(
      { AWS_REGION = local.region, APP_NAME = name, PLATFORM_ENVIRONMENT = var.environment },
      try(local.token_budget_env[name], {}), try(local.app_env[name], {}),
    )
  }
  # Values of the settings each app declares (its app.yaml's `settings`: a contract test holds
  # every key here to them).
  app_env = {
    "claude-chat" = merge(local.guardrail_env, {
      CHAT_PROVIDER = "bedrock"
      CHAT_MODELS   = local.app_chat_models["claude-chat"]
    })
    "kb-assistant" = merge(local.guardrail_env, {
      CHAT_PROVIDER        = "bedrock"
      CHAT_MODELS          = local.app_chat_models["kb-assistant"]
      KB_RETRIEVER         = "bedrock"
      KNOWLEDGE_BASE_ID    = data.aws_ssm_parameter.bedrock["knowledge-base-id"].value
      KB_MODE              = var.kb_mode
      KB_NUMBER_OF_RESULTS = tostring(var.kb_number_of_results)
      KB_RERANK_MODEL_ID   = local.kb_rerank_model_id
    })
    "agent-assistant" = {
      AGENT_MODE       = "bedrock"
      AGENT_ID         = data.aws_ssm_parameter.bedrock["agent-id"].value
      AGENT_ALIAS_ID   = data.aws_ssm_parameter.bedrock["agent-alias-id"].value
      AGENT_SHOW_TRACE = tostring(var.agent_show_trace)
    }
    "shop-rag" = merge(local.guardrail_env, {
      SHOP_RAG_PORT         = tostring(local.deployments["shop-rag"].service.port)
      CHAT_PROVIDER         = "bedrock"
      CHAT_MODELS           = local.app_chat_models["shop-rag"]
      EMBEDDINGS_PROVIDER   = "bedrock"
      EMBEDDINGS_MODEL_ID   = local.embeddings_model_id
      EMBEDDINGS_DIMENSIONS = tostring(local.embeddings_dimensions)
      QDRANT_URL            = local.qdrant_url
      SHOP_COLLECTION       = var.shop_collection
      HISTORY_TABLE         = aws_dynamodb_table.shop_history.name
      HISTORY_TTL_HOURS     = tostring(var.shop_history_ttl_hours)
      CATALOG_BUCKET        = local.model_assets_bucket
      CATALOG_PREFIX        = local.catalog_prefix
    })
    "myretail-chat" = merge(local.loyalty_env, {
      MYRETAIL_CHAT_PORT = tostring(local.deployments["myretail-chat"].service.port)
      CHAT_PROVIDER      = local.loyalty_on_bedrock ? "bedrock" : "openai"
      # The Service k8s-app names after the app (not module.app's output: that would be a cycle).
      SHOP_RAG_URL = "http://${local.deployments["shop-rag"].name}.${kubernetes_namespace_v1.genai.metadata[0].name}.svc.cluster.local"
    })
    "review-dashboard" = {
      REVIEW_STORE        = "opensearch"
      OPENSEARCH_ENDPOINT = nonsensitive(data.aws_ssm_parameter.streaming["collection-endpoint"].value)
    }
  }

  # Credentials of in-cluster services, read from the Secrets generated in the cluster (secrets.tf).
  app_secret_env = {
    "shop-rag" = {
      QDRANT_API_KEY = { secret = local.generated_secret["qdrant-api-key"], key = "api-key" }
    }
    # The served model's key; a server without --api-key ignores it.
    "myretail-chat" = {
      OPENAI_API_KEY = { secret = local.generated_secret["loyalty-model-api-key"], key = "api-key" }
    }
  }

  # Each role's policy: exactly what the app calls (a contract test holds its actions to the
  # app's declared `permissions`).
  app_policies = {
    "claude-chat"      = data.aws_iam_policy_document.converse["claude-chat"].json
    "kb-assistant"     = data.aws_iam_policy_document.kb_assistant.json
    "agent-assistant"  = data.aws_iam_policy_document.agent_assistant.json
    "shop-rag"         = data.aws_iam_policy_document.shop_rag.json
    "myretail-chat"    = local.loyalty_on_bedrock ? data.aws_iam_policy_document.converse["myretail-chat"].json : data.aws_iam_policy_document.charge_token_budgets.json
    "review-dashboard" = data.aws_iam_policy_document.review_dashboard.json
  }
}

module "app" {
  # checkov:skip=CKV_K8S_14:The tag is var.image_tag, a git commit SHA (validated); checkov cannot resolve it through the SSM repository URL.
  source   = "../../modules/k8s-app"
  for_each = local.deployments

  name                 = each.key
  namespace            = kubernetes_namespace_v1.genai.metadata[0].name
  cluster_name         = data.aws_eks_cluster.this.name
  iam_role_name_prefix = local.name
  image                = "${data.aws_ssm_parameter.ecr[each.key].value}:${var.image_tag}"
  port                 = each.value.service.port
  readiness_path       = each.value.service.readiness
  liveness_path        = each.value.service.liveness
  resources            = try(each.value.service.resources, null)
  replicas             = local.app_replicas[each.key]
  exposure             = local.app_exposure[each.key]
  allowed_cidrs        = try(var.apps[each.key].allowed_cidrs, null)
  iam_policy_json      = try(local.app_policies[each.key], null)
  env                  = local.app_runtime_env[each.key]
  secret_env           = try(local.app_secret_env[each.key], {})
  permissions_boundary = local.permissions_boundary
  tags                 = local.tags
}

# Where each app's resources lived while every app had its own module call.
moved {
  from = module.claude_chat
  to   = module.app["claude-chat"]
}

moved {
  from = module.kb_assistant
  to   = module.app["kb-assistant"]
}

moved {
  from = module.agent_assistant
  to   = module.app["agent-assistant"]
}

moved {
  from = module.shop_rag
  to   = module.app["shop-rag"]
}

moved {
  from = module.myretail_chat
  to   = module.app["myretail-chat"]
}

moved {
  from = module.review_dashboard
  to   = module.app["review-dashboard"]
}
