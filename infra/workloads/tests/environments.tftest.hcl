# Planned once per environment with environments/<env>/workloads.tfvars (scripts/tf-test).
# Each app's Pod Identity role: what its policy allows, and that the policy reaches its role
# (every policy document is given a distinct JSON, and each app must carry its own).

mock_provider "aws" {
  override_during = plan
  source          = "tests/mocks/aws"
}

mock_provider "kubernetes" {}
mock_provider "helm" {}

variables {
  image_tag = "0123456789abcdef0123456789abcdef01234567"
}

run "plan" {
  command = plan

  assert {
    condition = jsondecode(module.app["claude-chat"].iam_policy).Id == "converse" && jsondecode(module.app["kb-assistant"].iam_policy).Id == "kb_assistant" && jsondecode(
      module.app["agent-assistant"].iam_policy
    ).Id == "agent_assistant"
    error_message = "Each app's role carries its own policy."
  }
  assert {
    condition     = toset(keys(data.aws_iam_policy_document.converse)) == toset(["claude-chat", "kb-assistant", "myretail-chat", "shop-rag"])
    error_message = "Each app that declares models has its own converse policy."
  }
  assert {
    condition = alltrue([for name, doc in data.aws_iam_policy_document.converse : toset(flatten([for s in doc.statement : tolist(s.actions)])) == toset([
      "bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:ApplyGuardrail",
    ]) && doc.source_policy_documents == tolist([data.aws_iam_policy_document.charge_token_budgets.json])])
    error_message = "A metered app may only invoke models, apply the guardrail and charge its budgets."
  }
  assert {
    condition = alltrue([for name, doc in data.aws_iam_policy_document.converse : one([for s in doc.statement : s.resources if s.sid == "InvokeOwnInferenceProfiles"]) == toset([
      for p in local.app_profiles[name] : p.arn
    ]) && alltrue([for arn in one([for s in doc.statement : s.resources if s.sid == "InvokeOwnInferenceProfiles"]) : strcontains(arn, ":application-inference-profile/")])])
    error_message = "Each app may invoke its own application inference profiles only."
  }
  assert {
    condition = alltrue([for name, doc in data.aws_iam_policy_document.converse : one([for s in doc.statement : one(s.condition).values if s.sid == "InvokeModelsThroughOwnProfiles"]) == tolist([
      for p in local.app_profiles[name] : p.arn
    ]) && one([for s in doc.statement : one(s.condition).variable if s.sid == "InvokeModelsThroughOwnProfiles"]) == "bedrock:InferenceProfileArn"])
    error_message = "Foundation models are reachable only through the app's own profiles."
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.converse["claude-chat"].statement : s.resources if s.sid == "ApplyThePlatformGuardrail"]) == toset(["arn:aws:bedrock:us-east-1:123456789012:guardrail/gr0mock0001"])
    error_message = "The guardrail applied is the platform's."
  }
  assert {
    condition = [for s in data.aws_iam_policy_document.charge_token_budgets.statement : { actions = s.actions, resources = s.resources }] == [
      { actions = toset(["dynamodb:GetItem", "dynamodb:UpdateItem"]), resources = toset(["arn:aws:dynamodb:us-east-1:123456789012:table/genai-env-token-budgets"]) },
      { actions = toset(["kms:Decrypt", "kms:GenerateDataKey"]), resources = toset(["arn:aws:kms:us-east-1:123456789012:key/44444444-5555-6666-7777-888888888888"]) },
    ]
    error_message = "Metered apps may check and charge the budget table, and use its key, nothing more."
  }
  assert {
    condition = alltrue([for name in local.metered_apps : (
      [for m in jsondecode(local.app_env[name].CHAT_MODELS) : m.model_id] == [for m in module.environment.models.chat : local.app_profiles[name][m.model_id].arn]
      && [for m in jsondecode(local.app_env[name].CHAT_MODELS) : m.foundation_model_id] == [for m in module.environment.models.chat : m.foundation_model_id]
    ) if can(local.app_env[name].CHAT_MODELS)])
    error_message = "Each app's model picker names its own profiles, in the catalog's order, with the model behind each."
  }
  assert {
    condition = alltrue([for name in local.metered_apps : (
      local.token_budget_env[name].APP_DAILY_TOKEN_BUDGET == tostring(yamldecode(file("../../apps/${replace(name, "-", "_")}/app.yaml")).budgets.app_daily_tokens[module.environment.tier])
      && local.token_budget_env[name].TOKEN_BUDGET_TABLE == "genai-env-token-budgets"
    )]) && length(local.metered_apps) == 4
    error_message = "Each metered app charges the budget table with its declaration's budgets for the tier."
  }
  assert {
    condition = [for s in data.aws_iam_policy_document.kb_assistant.statement : s.resources if s.sid == "RetrieveFromTheKnowledgeBase"] == [
      toset(["arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KBMOCK0001"]),
    ]
    error_message = "The KB assistant may Retrieve from its knowledge base only."
  }
  assert {
    condition     = var.kb_mode != "retrieve" || length([for s in data.aws_iam_policy_document.kb_assistant.statement : s if s.sid == "RetrieveAndGenerate"]) == 0
    error_message = "RetrieveAndGenerate is granted only when kb_mode asks for it."
  }
  assert {
    condition = [for s in data.aws_iam_policy_document.kb_assistant.statement : { sid = s.sid, actions = s.actions, resources = s.resources } if contains(["Rerank", "InvokeTheRerankModel"], s.sid)] == [
      { sid = "Rerank", actions = toset(["bedrock:Rerank"]), resources = toset(["*"]) },
      { sid = "InvokeTheRerankModel", actions = toset(["bedrock:InvokeModel"]), resources = toset(["arn:aws:bedrock:us-east-1::foundation-model/cohere.rerank-v3-5:0"]) },
    ] && local.app_env["kb-assistant"].KB_RERANK_MODEL_ID == "cohere.rerank-v3-5:0"
    error_message = "The KB assistant reranks with the environment's rerank model, in its Region, and may invoke no other model directly."
  }
  assert {
    condition = [for s in data.aws_iam_policy_document.agent_assistant.statement : { actions = s.actions, resources = s.resources }] == [
      { actions = toset(["bedrock:InvokeAgent"]), resources = toset(["arn:aws:bedrock:us-east-1:123456789012:agent-alias/AGENTMOCK1/ALIASMOCK1"]) },
      { actions = toset(["kms:Decrypt", "kms:GenerateDataKey"]), resources = toset(["arn:aws:kms:us-east-1:123456789012:key/22222222-3333-4444-5555-666666666666"]) },
    ]
    error_message = "The agent assistant may invoke its agent's alias and use the agent's key, nothing else."
  }
  assert {
    condition     = one(one([for s in data.aws_iam_policy_document.agent_assistant.statement : s.condition if s.sid == "UseTheAgentKeyThroughBedrock"])).values == tolist(["bedrock.us-east-1.amazonaws.com"])
    error_message = "The agent's key is usable only through Bedrock."
  }
  assert {
    condition     = kubernetes_namespace_v1.genai.metadata[0].labels["pod-security.kubernetes.io/enforce"] == "restricted"
    error_message = "The apps' namespace enforces the restricted Pod Security Standard."
  }
  assert {
    condition     = local.tier == "development" || alltrue([for replicas in values(local.app_replicas) : replicas >= 2])
    error_message = "A production-tier environment runs every app on at least two pods."
  }
  assert {
    condition = [for s in data.aws_iam_policy_document.review_dashboard.statement : { actions = s.actions, resources = s.resources }] == [
      { actions = toset(["aoss:APIAccessAll"]), resources = toset(["arn:aws:aoss:us-east-1:123456789012:collection/abcdefghij0123456789"]) },
    ]
    error_message = "The review dashboard may reach the streaming collection only (the data access policy makes it read-only)."
  }
  assert {
    condition     = alltrue([for exposure in values(local.app_exposure) : exposure != "internet"]) && local.app_exposure["claude-chat"] == "internal" && local.app_exposure["shop-rag"] == null
    error_message = "No environment exposes an app to the internet; the pages people open get internal NLBs, the shopping API stays in the cluster (their declarations)."
  }

  # --- The apps' declarations (apps/*/app.yaml) ---
  assert {
    condition     = toset(keys(module.app)) == toset([for name, app in local.declared_apps : name if app.runs_on == "eks-deployment"]) && length(module.app) >= 6
    error_message = "Every app declared with runs_on: eks-deployment runs as one instance of module.app."
  }
  assert {
    condition     = alltrue([for name, app in module.app : app.deployment_name == name && app.service_name == name && app.iam_role_name == "genai-${var.environment}-${name}"])
    error_message = "Each app's Deployment and Service carry its declared name, its Pod Identity role <project>-<env>-<name>."
  }
  assert {
    condition     = alltrue([for name in concat(keys(local.app_env), keys(local.app_secret_env), keys(local.app_policies)) : contains(keys(local.deployments), name)])
    error_message = "Settings, secrets and policies are given only to declared apps (a misspelt name would be ignored)."
  }
  assert {
    condition = alltrue([
      for name, app in local.deployments : length(setsubtract(concat(["AWS_REGION"], keys(try(local.app_env[name], {})), keys(try(local.app_secret_env[name], {}))), try(app.settings, []))) == 0
    ])
    error_message = "Terraform sets only the settings each app declares (an undeclared key would be silently ignored by the app)."
  }
  assert {
    condition = alltrue([
      for name, env in local.app_runtime_env : env.APP_NAME == name && env.PLATFORM_ENVIRONMENT == var.environment && env.AWS_REGION == "us-east-1"
    ]) && local.app_runtime_env["claude-chat"].TOKEN_BUDGET_TABLE == local.token_budget_env["claude-chat"].TOKEN_BUDGET_TABLE
    error_message = "Every app is metered as its declared name in this environment, beside its budgets and settings."
  }
  assert {
    condition     = local.app_replicas["claude-chat"] == coalesce(try(var.apps["claude-chat"].replicas, null), local.tier == "production" ? 2 : 1)
    error_message = "Each app runs the replicas its declaration gives for the tier, unless the tfvars say otherwise."
  }
  assert {
    condition     = module.app["shop-rag"].service_name == "shop-rag" && local.app_env["myretail-chat"].SHOP_RAG_URL == "http://shop-rag.genai.svc.cluster.local"
    error_message = "The chatbot reaches the shopping API at the Service named after it."
  }

  # --- JupyterHub ---
  assert {
    condition     = helm_release.jupyterhub.chart == "jupyterhub" && helm_release.jupyterhub.repository == "https://hub.jupyter.org/helm-chart/" && can(regex("^4\\.[0-9]+\\.[0-9]+$", helm_release.jupyterhub.version))
    error_message = "JupyterHub is the zero-to-jupyterhub chart, pinned to an exact 4.x version."
  }
  assert {
    condition     = yamldecode(helm_release.jupyterhub.values[0]).hub.config.JupyterHub.authenticator_class == (var.jupyterhub_authenticator == "cognito" ? "generic-oauth" : "shared-password") && length(aws_cognito_user_pool.jupyterhub) == (var.jupyterhub_authenticator == "cognito" ? 1 : 0) && (!local.production || var.jupyterhub_authenticator == "cognito")
    error_message = "The hub signs in with the environment's Cognito user pool or a generated shared password; production-tier environments with Cognito."
  }
  assert {
    condition = jsonencode(yamldecode(helm_release.jupyterhub.values[0]).hub.config.Authenticator) == jsonencode({
      allow_all = false, allow_existing_users = false, allowed_users = var.jupyterhub_allowed_users, admin_users = var.jupyterhub_admin_users
    })
    error_message = "Only the allow list signs in, and taking a name off it revokes access."
  }
  assert {
    condition = var.jupyterhub_authenticator != "cognito" || try(
      yamldecode(helm_release.jupyterhub.values[0]).hub.config.GenericOAuthenticator.authorize_url == "https://genai-${var.environment}-notebooks-123456789012.auth.us-east-1.amazoncognito.com/oauth2/authorize"
      && yamldecode(helm_release.jupyterhub.values[0]).hub.config.GenericOAuthenticator.oauth_callback_url == "${var.jupyterhub_url}/hub/oauth_callback"
      && one(aws_cognito_user_pool_client.jupyterhub[*].callback_urls) == toset(["${var.jupyterhub_url}/hub/oauth_callback"])
      && one(aws_cognito_user_pool.jupyterhub[*].admin_create_user_config[0].allow_admin_create_user_only),
      false
    )
    error_message = "Cognito sends users back to the hub's callback, and nobody signs up on their own."
  }
  assert {
    condition = var.jupyterhub_authenticator == "cognito" ? (
      one(aws_cognito_user_pool_client.jupyterhub[*].generate_secret) == false
      && yamldecode(helm_release.jupyterhub.values[0]).hub.config.GenericOAuthenticator.enable_pkce
      && strcontains(yamldecode(helm_release.jupyterhub.values[0]).hub.extraConfig.publicClient, "params.pop(\"client_secret\", None)")
      && !contains(keys(yamldecode(helm_release.jupyterhub.values[0]).hub), "initContainers")
      ) : (
      yamldecode(helm_release.jupyterhub.values[0]).hub.extraEnv.SHARED_USER_PASSWORD.valueFrom.secretKeyRef == { name = "jupyterhub-shared-passwords", key = "user-password" }
      && yamldecode(helm_release.jupyterhub.values[0]).hub.extraEnv.SHARED_ADMIN_PASSWORD.valueFrom.secretKeyRef == { name = "jupyterhub-shared-passwords", key = "admin-password" }
      && strcontains(yamldecode(helm_release.jupyterhub.values[0]).hub.extraConfig.sharedPasswords, "c.SharedPasswordAuthenticator.admin_password = ")
    )
    error_message = "No authenticator secret passes through Terraform: Cognito's app client is public and the hub proves each code exchange with PKCE; the shared passwords come from the generated Secret."
  }
  assert {
    condition = [for p in yamldecode(helm_release.jupyterhub.values[0]).singleuser.profileList : p.display_name] == ["CPU", "Data science (GPU)"] && !contains(keys(
      yamldecode(helm_release.jupyterhub.values[0]).singleuser.profileList[0].kubespawner_override
    ), "tolerations")
    error_message = "Two profiles, CPU (the default, not on GPU nodes) and Data science (GPU)."
  }
  assert {
    condition     = yamldecode(helm_release.jupyterhub.values[0]).singleuser.profileList[0].kubespawner_override.node_selector == { "genai.platform/node-pool" = "cpu" } && data.aws_ssm_parameter.cpu_node_selector.name == "/genai/${var.environment}/cluster-addons/cpu-node-selector"
    error_message = "CPU notebooks select Karpenter's CPU nodes (published by cluster-addons), never the system nodes."
  }
  assert {
    condition = yamldecode(helm_release.jupyterhub.values[0]).singleuser.profileList[1].kubespawner_override.tolerations == [
      { key = "nvidia.com/gpu", operator = "Equal", value = "true", effect = "NoSchedule" }
      ] && yamldecode(helm_release.jupyterhub.values[0]).singleuser.profileList[1].kubespawner_override.node_selector == { "nvidia.com/gpu.present" = "true" } && yamldecode(
      helm_release.jupyterhub.values[0]
    ).singleuser.profileList[1].kubespawner_override.extra_resource_limits == { "nvidia.com/gpu" = "1" }
    error_message = "The GPU profile tolerates the GPU nodes' taint, selects them and asks for one GPU."
  }
  assert {
    condition = yamldecode(helm_release.jupyterhub.values[0]).singleuser.nodeSelector == { "topology.kubernetes.io/zone" = "us-east-1a" } && yamldecode(
      helm_release.jupyterhub.values[0]
    ).singleuser.storage.dynamic.storageClass == kubernetes_storage_class_v1.notebooks.metadata[0].name && kubernetes_storage_class_v1.notebooks.allowed_topologies[0].match_label_expressions[0].values == toset(["us-east-1a"])
    error_message = "Home volumes and every notebook stay in the platform's notebook zone (no volume node affinity conflict)."
  }
  assert {
    condition     = kubernetes_storage_class_v1.notebooks.parameters == tomap({ type = "gp3", encrypted = "true", fsType = "ext4" }) && kubernetes_storage_class_v1.notebooks.volume_binding_mode == "WaitForFirstConsumer"
    error_message = "Home volumes are encrypted gp3 and bind only when their notebook is scheduled, so Karpenter picks the node (in the notebook zone) before the volume exists."
  }
  assert {
    condition = yamldecode(helm_release.jupyterhub.values[0]).singleuser.uid == 1000 && yamldecode(helm_release.jupyterhub.values[0]).singleuser.fsGid == 100 && yamldecode(
      helm_release.jupyterhub.values[0]
    ).hub.config.KubeSpawner.container_security_context.runAsNonRoot && kubernetes_namespace_v1.jupyterhub.metadata[0].labels["pod-security.kubernetes.io/enforce"] == "restricted"
    error_message = "Notebooks run as uid 1000 / gid 100, non-root, under the restricted Pod Security Standard."
  }
  assert {
    condition     = yamldecode(helm_release.jupyterhub.values[0]).cull.enabled && yamldecode(helm_release.jupyterhub.values[0]).cull.timeout == var.jupyterhub_idle_timeout_minutes * 60
    error_message = "Idle notebook servers are culled."
  }
  assert {
    condition     = yamldecode(helm_release.jupyterhub.values[0]).proxy.service.type == "ClusterIP" && !yamldecode(helm_release.jupyterhub.values[0]).proxy.https.enabled
    error_message = "JupyterHub is reached through port-forward by default: no load balancer."
  }
  assert {
    condition = [for s in data.aws_iam_policy_document.notebooks.statement : { sid = s.sid, actions = s.actions, resources = s.resources }] == [
      { sid = "ListOwnPrefixAndSharedData", actions = toset(["s3:ListBucket"]), resources = toset(["arn:aws:s3:::genai-env-model-assets-123456789012"]) },
      { sid = "ReadSharedData", actions = toset(["s3:GetObject"]), resources = toset([for p in var.notebook_read_prefixes : "arn:aws:s3:::genai-env-model-assets-123456789012/${p}*"]) },
      {
        sid       = "ReadAndWriteOwnPrefix", actions = toset(["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]),
        resources = toset(["arn:aws:s3:::genai-env-model-assets-123456789012/notebooks/$${aws:PrincipalTag/kubernetes-pod-name}/*"])
      },
    ] && contains(data.aws_iam_policy_document.notebooks.source_policy_documents, data.aws_iam_policy_document.model_assets_key_through_s3.json)
    error_message = "A notebook writes only under notebooks/<its pod name>/ and reads the shared prefixes (through the bucket's key)."
  }
  assert {
    condition     = module.notebooks_identity.policy_json == "{\"Id\":\"notebooks\"}" && kubernetes_service_account_v1.notebooks.metadata[0].name == "notebooks" && kubernetes_namespace_v1.jupyterhub.metadata[0].name == "jupyterhub"
    error_message = "The notebooks' service account carries their policy through Pod Identity."
  }

  # --- Fine-tuning ---
  assert {
    condition     = kubernetes_namespace_v1.finetune.metadata[0].labels["pod-security.kubernetes.io/enforce"] == "restricted" && module.finetune_job_identity.policy_json == "{\"Id\":\"finetune_job\"}" && kubernetes_service_account_v1.finetune.metadata[0].namespace == "finetune"
    error_message = "Fine-tuning Jobs run in their own restricted namespace, as a service account carrying the job policy through Pod Identity."
  }
  assert {
    condition = { for s in data.aws_iam_policy_document.finetune_job.statement : s.sid => s.resources } == {
      ListDataAndRuns  = toset(["arn:aws:s3:::genai-env-model-assets-123456789012"])
      ReadTrainingData = toset(["arn:aws:s3:::genai-env-model-assets-123456789012/finetune/data/*"])
      WriteRuns        = toset(["arn:aws:s3:::genai-env-model-assets-123456789012/finetune/runs/*"])
    } && one([for s in data.aws_iam_policy_document.finetune_job.statement : s.actions if s.sid == "ReadTrainingData"]) == toset(["s3:GetObject"]) && contains(data.aws_iam_policy_document.finetune_job.source_policy_documents, data.aws_iam_policy_document.model_assets_key_through_s3.json)
    error_message = "A job reads finetune/data/ and writes finetune/runs/ only."
  }
  assert {
    condition     = [for s in data.aws_iam_policy_document.read_hf_token.statement : s.resources] == [toset(["arn:aws:secretsmanager:us-east-1:123456789012:secret:genai/${var.environment}/hugging-face-token-??????"]), toset(["arn:aws:kms:us-east-1:123456789012:key/*"])] && aws_secretsmanager_secret.hf_token.name == "genai/${var.environment}/hugging-face-token"
    error_message = "Jobs and the model server read that one secret (its ARN's random suffix is six characters), through its key."
  }
  assert {
    condition     = aws_ssm_parameter.finetune["finetune-image"].value == "123456789012.dkr.ecr.us-east-1.amazonaws.com/genai/env/finetune:${var.image_tag}" && aws_ssm_parameter.finetune["finetune-namespace"].value == "finetune" && aws_ssm_parameter.finetune["finetune-service-account"].value == "finetune-job" && aws_ssm_parameter.finetune["finetune-namespace"].name == "/genai/${var.environment}/workloads/finetune-namespace"
    error_message = "The launcher finds the namespace, service account and image of this commit in SSM."
  }
  assert {
    condition     = length(module.loyalty_model) == 0 && length(data.aws_s3_object.loyalty_manifest) == 0 && length(aws_eks_access_entry.finetune_submitters) == 0
    error_message = "No model server and no adapter lookup until loyalty_adapter names a run; no submitters unless listed."
  }

  # --- Qdrant ---
  assert {
    condition     = helm_release.qdrant.repository == "https://qdrant.github.io/qdrant-helm" && can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", helm_release.qdrant.version))
    error_message = "Qdrant's chart is pinned."
  }
  assert {
    condition = yamldecode(helm_release.qdrant.values[0]).persistence.storageClassName == "gp3" && yamldecode(helm_release.qdrant.values[0]).snapshotPersistence == {
      enabled = true, storageClassName = "gp3", size = "${var.qdrant_snapshot_storage_gib}Gi"
    } && yamldecode(helm_release.qdrant.values[0]).service.type == "ClusterIP"
    error_message = "Qdrant stores its data and its snapshots on gp3 volumes, reachable inside the cluster only."
  }
  assert {
    condition = yamldecode(helm_release.qdrant.values[0]).apiKey.valueFrom.secretKeyRef == { name = "qdrant-api-key", key = "api-key" } && yamldecode(
      helm_release.qdrant.values[0]
    ).readOnlyApiKey.valueFrom.secretKeyRef == { name = "qdrant-api-key", key = "read-only-api-key" } && kubernetes_namespace_v1.qdrant.metadata[0].labels["pod-security.kubernetes.io/enforce"] == "restricted"
    error_message = "Qdrant requires both API keys, read by its chart from the generated Secret."
  }
  assert {
    condition     = yamldecode(helm_release.generated_secrets.values[0]).secrets["qdrant-api-key"].namespaces == ["qdrant", "genai"] && local.app_secret_env["shop-rag"].QDRANT_API_KEY == { secret = "qdrant-api-key", key = "api-key" }
    error_message = "The Qdrant keys are generated in Qdrant's namespace and copied into the shopping API's, which reads the full-access key."
  }

  # --- Secrets: generated in the cluster, never in a plan or the state ---
  assert {
    condition     = alltrue([for release in [helm_release.jupyterhub, helm_release.qdrant, helm_release.generated_secrets] : try(length(release.set_sensitive), 0) == 0 && !strcontains(jsonencode(release.values), "client_secret:")])
    error_message = "No release is given a secret: no sensitive value, and no OAuth client secret in any values."
  }
  assert {
    condition = {
      for name, secret in yamldecode(helm_release.generated_secrets.values[0]).secrets : name => { for key, length in secret.keys : key => length >= 24 }
      } == merge(
      { "qdrant-api-key" = { "api-key" = true, "read-only-api-key" = true }, "loyalty-model-api-key" = { "api-key" = true } },
      var.jupyterhub_authenticator == "cognito" ? {} : { "jupyterhub-shared-passwords" = { "user-password" = true, "admin-password" = true } },
    ) && yamldecode(helm_release.generated_secrets.values[0]).secrets["qdrant-api-key"].keys["api-key"] == 48
    error_message = "The release generates the Qdrant keys, the model server's key and (shared-password hubs only) the hub's passwords, each at least 24 characters: Terraform gives names and lengths, never values."
  }
  assert {
    condition     = helm_release.generated_secrets.chart == "./charts/generated-secrets" && helm_release.generated_secrets.namespace == "kube-system"
    error_message = "The generator is the stack's own chart, its release record (which holds the values) in kube-system."
  }
  assert {
    condition     = helm_release.generated_secrets.take_ownership && strcontains(file("${helm_release.generated_secrets.chart}/templates/secrets.yaml"), "helm.sh/resource-policy: keep")
    error_message = "The generated Secrets outlive an uninstall of their release (a replaced or tainted release) and a new install adopts them, so their values survive."
  }

  # --- NetworkPolicies ---
  assert {
    condition = toset(keys(kubernetes_network_policy_v1.default_deny)) == toset(["genai", "qdrant", "finetune"]) && alltrue([
      for p in kubernetes_network_policy_v1.default_deny : p.metadata[0].name == "default-deny" && p.spec[0].policy_types == tolist(["Ingress", "Egress"]) && length(p.spec[0].ingress) == 0 && length(p.spec[0].egress) == 0 && try(length(p.spec[0].pod_selector[0].match_labels), 0) == 0
    ])
    error_message = "The apps' and model server's, Qdrant's and fine-tuning's namespaces each deny all traffic in and out of every pod by default."
  }
  assert {
    condition = toset(keys(kubernetes_network_policy_v1.allow_dns)) == toset(keys(kubernetes_network_policy_v1.default_deny)) && alltrue([
      for p in kubernetes_network_policy_v1.allow_dns : p.spec[0].egress[0].to[0].pod_selector[0].match_labels == tomap({ "k8s-app" = "kube-dns" }) && toset([for port in p.spec[0].egress[0].ports : "${port.port}/${port.protocol}"]) == toset(["53/UDP", "53/TCP"])
    ])
    error_message = "Every denying namespace may resolve names through CoreDNS, on port 53 only."
  }
  assert {
    condition = toset(keys(kubernetes_network_policy_v1.allow_aws_apis)) == toset(["genai", "finetune"]) && alltrue([
      for p in kubernetes_network_policy_v1.allow_aws_apis : [for e in p.spec[0].egress : "${e.to[0].ip_block[0].cidr}:${e.ports[0].port}"] == ["0.0.0.0/0:443", "169.254.170.23/32:80"]
    ])
    error_message = "The apps, the model server and fine-tuning Jobs reach AWS over HTTPS and the Pod Identity agent; Qdrant reaches nothing outside."
  }
  assert {
    condition = {
      for name, p in kubernetes_network_policy_v1.allow_callers : name => {
        namespace = p.metadata[0].namespace, pods = p.spec[0].pod_selector[0].match_labels, callers = p.spec[0].ingress[0].from[0].pod_selector[0].match_expressions[0].values, port = p.spec[0].ingress[0].ports[0].port
      }
      } == {
      qdrant     = { namespace = "qdrant", pods = tomap({ "app.kubernetes.io/name" = "qdrant" }), callers = toset(["shop-rag"]), port = "6333" }
      "shop-rag" = { namespace = "genai", pods = tomap({ "app.kubernetes.io/name" = "shop-rag" }), callers = toset(["myretail-chat"]), port = tostring(local.deployments["shop-rag"].service.port) }
    }
    error_message = "Qdrant admits the shopping API on 6333, the shopping API admits the chatbot on its declared port (the callers are the apps declaring QDRANT_URL and SHOP_RAG_URL)."
  }
  assert {
    condition = {
      for name, p in kubernetes_network_policy_v1.allow_calls : name => {
        namespace = p.metadata[0].namespace, callers = p.spec[0].pod_selector[0].match_expressions[0].values, to = p.spec[0].egress[0].to[0].namespace_selector[0].match_labels["kubernetes.io/metadata.name"], port = p.spec[0].egress[0].ports[0].port
      }
      } == {
      qdrant     = { namespace = "genai", callers = toset(["shop-rag"]), to = "qdrant", port = "6333" }
      "shop-rag" = { namespace = "genai", callers = toset(["myretail-chat"]), to = "genai", port = tostring(local.deployments["shop-rag"].service.port) }
    }
    error_message = "Each caller may send to the service it calls, on that service's port only."
  }
  assert {
    condition = { for name, p in kubernetes_network_policy_v1.allow_load_balancer : name => p.spec[0].ingress[0].ports[0].port } == {
      for name, exposure in local.app_exposure : name => tostring(local.deployments[name].service.port) if exposure != null && exposure != "cluster"
    } && contains(keys(kubernetes_network_policy_v1.allow_load_balancer), "myretail-chat") && !contains(keys(kubernetes_network_policy_v1.allow_load_balancer), "shop-rag")
    error_message = "Only apps behind a load balancer admit it, on their declared port; the shopping API stays closed to it."
  }

  # --- Shopping API and chatbot ---
  assert {
    condition     = jsondecode(module.app["shop-rag"].iam_policy).Id == "shop_rag" && jsondecode(module.app["myretail-chat"].iam_policy).Id == "converse"
    error_message = "The shopping API has its own policy; the chatbot converses on Bedrock only."
  }
  assert {
    condition = [for s in data.aws_iam_policy_document.shop_rag.statement : { sid = s.sid, actions = s.actions, resources = s.resources }] == [
      { sid = "EmbedWithTitan", actions = toset(["bedrock:InvokeModel"]), resources = toset(["arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0"]) },
      {
        sid       = "ReadAndWriteSessionHistory", actions = toset(["dynamodb:PutItem", "dynamodb:Query"]),
        resources = toset(["arn:aws:dynamodb:us-east-1:123456789012:table/${aws_dynamodb_table.shop_history.name}"])
      },
      { sid = "UseTheHistoryKeyThroughDynamoDB", actions = toset(["kms:Decrypt", "kms:GenerateDataKey"]), resources = toset(["arn:aws:kms:us-east-1:123456789012:key/*"]) },
      { sid = "ReadTheCatalog", actions = toset(["s3:GetObject"]), resources = toset(["arn:aws:s3:::genai-env-model-assets-123456789012/catalog/*"]) },
      { sid = "DecryptTheCatalogThroughS3", actions = toset(["kms:Decrypt"]), resources = toset(["arn:aws:kms:us-east-1:123456789012:key/33333333-4444-5555-6666-777777777777"]) },
    ] && data.aws_iam_policy_document.shop_rag.source_policy_documents == tolist([data.aws_iam_policy_document.converse["shop-rag"].json])
    error_message = "The shopping API may converse, embed with Titan, use its history table and read the catalog prefix, nothing else."
  }
  assert {
    condition = aws_dynamodb_table.shop_history.hash_key == "sessionId" && aws_dynamodb_table.shop_history.range_key == "turn" && aws_dynamodb_table.shop_history.billing_mode == "PAY_PER_REQUEST" && toset([
      for a in aws_dynamodb_table.shop_history.attribute : "${a.name}:${a.type}"
    ]) == toset(["sessionId:S", "turn:N"])
    error_message = "One history item per turn: sessionId (S) and turn (N), billed per request."
  }
  assert {
    condition = { for c in one([for s in data.aws_iam_policy_document.shop_rag.statement : s.condition if s.sid == "UseTheHistoryKeyThroughDynamoDB"]) : c.variable => c.values } == {
      "kms:ResourceAliases" = tolist(["alias/genai-${var.environment}-shop-history"])
      "kms:ViaService"      = tolist(["dynamodb.us-east-1.amazonaws.com"])
    }
    error_message = "The shopping API may use only the history table's key (by its alias), and only through DynamoDB."
  }
  assert {
    condition     = aws_dynamodb_table.shop_history.ttl[0].attribute_name == "expiresAt" && aws_dynamodb_table.shop_history.ttl[0].enabled
    error_message = "DynamoDB expires old sessions through expiresAt."
  }
  assert {
    condition     = aws_dynamodb_table.shop_history.point_in_time_recovery[0].enabled && aws_dynamodb_table.shop_history.server_side_encryption[0].enabled && aws_dynamodb_table.shop_history.server_side_encryption[0].kms_key_arn == module.shop_history_key.arn
    error_message = "The history table is recoverable and encrypted with its own key."
  }
  assert {
    condition     = aws_dynamodb_table.shop_history.deletion_protection_enabled == coalesce(var.jupyterhub_deletion_protection, module.environment.production)
    error_message = "An environment protects its chat history and its JupyterHub users from deletion alike."
  }
}

run "retrieve_and_generate" {
  command = plan
  variables {
    kb_mode = "retrieve_and_generate"
  }

  assert {
    condition     = length([for s in data.aws_iam_policy_document.kb_assistant.statement : s if s.sid == "RetrieveAndGenerate"]) == 1
    error_message = "kb_mode retrieve_and_generate adds that permission."
  }
}

run "loyalty_tab_on_an_openai_compatible_server" {
  command = plan
  variables {
    loyalty_model = { provider = "openai", openai_base_url = "http://llama3-serving.genai.svc.cluster.local/v1", openai_model = "myelite-llama3" }
  }

  assert {
    condition     = jsondecode(module.app["myretail-chat"].iam_policy).Id == "charge_token_budgets"
    error_message = "A chatbot whose Loyalty tab talks to an in-cluster model gets no Bedrock permission, only its token budgets."
  }
}

run "serves_the_fine_tuned_loyalty_model" {
  command = plan
  variables {
    loyalty_adapter         = { run = "loyalty-2026-12-01" }
    loyalty_model           = { provider = "served" }
    finetune_submitter_arns = ["arn:aws:iam::123456789012:role/data-scientists"]
  }

  assert {
    condition     = module.loyalty_model[0].max_lora_rank == 16 && join(" ", slice(module.loyalty_model[0].args, 0, 4)) == "--model /models/base --served-model-name meta-llama/Meta-Llama-3-8B-Instruct" && contains(module.loyalty_model[0].args, "loyalty=/adapters/runs/loyalty-2026-12-01/adapter")
    error_message = "vLLM serves the base model and the rank that the run's manifest records, with the run's adapter."
  }
  assert {
    condition     = local.base_model_prefix == "models/meta-llama/Meta-Llama-3-8B-Instruct/8afb486c1db24fe5011ec46dfbe5b5dccdb575c2/"
    error_message = "The base model's weights come from the S3 mirror of the revision the run resolved to."
  }
  assert {
    condition     = local.app_secret_env["myretail-chat"].OPENAI_API_KEY.secret == "loyalty-model-api-key" && local.app_secret_env["myretail-chat"].OPENAI_API_KEY.key == "api-key" && yamldecode(helm_release.generated_secrets.values[0]).secrets["loyalty-model-api-key"].namespaces == ["genai"]
    error_message = "The Loyalty tab sends the model server's API key, read from its Secret."
  }
  assert {
    condition     = kubernetes_network_policy_v1.allow_callers["loyalty-model"].spec[0].pod_selector[0].match_labels["app.kubernetes.io/component"] == "model-server" && kubernetes_network_policy_v1.allow_callers["loyalty-model"].spec[0].ingress[0].from[0].pod_selector[0].match_expressions[0].values == toset(["myretail-chat"]) && kubernetes_network_policy_v1.allow_callers["loyalty-model"].spec[0].ingress[0].ports[0].port == "8000" && kubernetes_network_policy_v1.allow_calls["loyalty-model"].spec[0].egress[0].ports[0].port == "8000"
    error_message = "The model server admits the chatbot, the only app declaring OPENAI_BASE_URL, on its port."
  }
  assert {
    condition     = data.aws_s3_object.loyalty_manifest[0].key == "finetune/runs/loyalty-2026-12-01/adapter/manifest.json" && data.aws_s3_object.loyalty_manifest[0].bucket == "genai-env-model-assets-123456789012"
    error_message = "The adapter is read from its run's folder in the model-assets bucket."
  }
  assert {
    condition = { for s in data.aws_iam_policy_document.loyalty_model[0].statement : s.sid => s.resources } == {
      ListTheModelAndRuns        = toset(["arn:aws:s3:::genai-env-model-assets-123456789012"])
      ReadTheModelAndAdapters    = toset(["arn:aws:s3:::genai-env-model-assets-123456789012/models/meta-llama/Meta-Llama-3-8B-Instruct/8afb486c1db24fe5011ec46dfbe5b5dccdb575c2/*", "arn:aws:s3:::genai-env-model-assets-123456789012/finetune/runs/*/adapter/*"])
      DecryptTheAdapterThroughS3 = toset(["arn:aws:kms:us-east-1:123456789012:key/33333333-4444-5555-6666-777777777777"])
    }
    error_message = "The model server reads its base model's mirror and the runs' adapters only (no checkpoints, no data, no token)."
  }
  assert {
    condition     = module.loyalty_model[0].base_url == "http://loyalty-model.genai.svc.cluster.local/v1" && jsondecode(module.app["myretail-chat"].iam_policy).Id == "charge_token_budgets"
    error_message = "The Loyalty tab talks to the served model inside the cluster, with no Bedrock permission (its role only charges the token budgets)."
  }
  assert {
    condition     = aws_eks_access_policy_association.finetune_submitters["arn:aws:iam::123456789012:role/data-scientists"].access_scope[0].namespaces == toset(["finetune"]) && aws_eks_access_policy_association.finetune_submitters["arn:aws:iam::123456789012:role/data-scientists"].policy_arn == "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"
    error_message = "Submitters may edit the finetune namespace only."
  }
  assert {
    condition = alltrue([
      for name, port in { qdrant = "6333", "loyalty-model" = "8000" } :
      kubernetes_network_policy_v1.allow_prometheus_scraper[name].spec[0].ingress[0].ports[0].port == port
      && [for f in kubernetes_network_policy_v1.allow_prometheus_scraper[name].spec[0].ingress[0].from : f.ip_block[0].cidr] == ["10.10.0.0/19", "10.10.32.0/19", "10.10.64.0/19"]
    ])
    error_message = "Qdrant and the model server admit the Prometheus scraper's subnets on their metrics port only."
  }
  assert {
    condition = (
      yamldecode(helm_release.jupyterhub.values[0]).hub.config.JupyterHub.authenticate_prometheus == false
      && [for f in yamldecode(helm_release.jupyterhub.values[0]).hub.networkPolicy.ingress[0].from : f.ipBlock.cidr] == ["10.10.0.0/19", "10.10.32.0/19", "10.10.64.0/19"]
      && yamldecode(helm_release.jupyterhub.values[0]).hub.networkPolicy.ingress[0].ports == [{ port = 8081, protocol = "TCP" }]
    )
    error_message = "JupyterHub's hub serves /hub/metrics to the scraper's subnets, on the hub's port only."
  }
}

run "jupyterhub_behind_an_internal_load_balancer" {
  command = plan
  variables {
    jupyterhub_exposure        = "internal"
    jupyterhub_url             = "https://notebooks.example.internal"
    jupyterhub_certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
  }

  assert {
    condition = yamldecode(helm_release.jupyterhub.values[0]).proxy.service.type == "LoadBalancer" && yamldecode(helm_release.jupyterhub.values[0]).proxy.service.annotations == {
      "service.beta.kubernetes.io/aws-load-balancer-type"            = "external"
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type" = "ip"
      "service.beta.kubernetes.io/aws-load-balancer-scheme"          = "internal"
      "service.beta.kubernetes.io/aws-load-balancer-ssl-cert"        = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
      "service.beta.kubernetes.io/aws-load-balancer-ssl-ports"       = "https"
    }
    error_message = "The optional load balancer is an internal NLB that ends TLS with the given certificate."
  }
  assert {
    condition     = yamldecode(helm_release.jupyterhub.values[0]).proxy.https.enabled && yamldecode(helm_release.jupyterhub.values[0]).proxy.service.disableHttpPort
    error_message = "Behind the load balancer only HTTPS is offered."
  }
}

run "rejects_a_cognito_domain_with_a_reserved_word" {
  command = plan
  variables {
    project                  = "awsgenai"
    jupyterhub_authenticator = "cognito"
    jupyterhub_allowed_users = ["data.scientist@example.com"]
    jupyterhub_admin_users   = []
  }
  expect_failures = [aws_cognito_user_pool_domain.jupyterhub]
}

# The validations whose outcome follows the environment's tier or tfvars (the others run once:
# validations.tftest.hcl).

run "rejects_an_unknown_authenticator" {
  command = plan
  variables {
    jupyterhub_authenticator = "dummy"
  }
  expect_failures = [var.jupyterhub_authenticator]
}

run "rejects_a_shared_password_in_a_production_tier_environment" {
  command = plan
  variables {
    environment              = "prod"
    jupyterhub_authenticator = "shared-password"
  }
  expect_failures = [var.jupyterhub_authenticator]
}

run "rejects_an_empty_allow_list" {
  command = plan
  variables {
    jupyterhub_allowed_users = []
    jupyterhub_admin_users   = []
  }
  expect_failures = [var.jupyterhub_allowed_users]
}

run "rejects_an_admin_off_the_allow_list" {
  command = plan
  variables {
    jupyterhub_admin_users = ["someone-else"]
  }
  expect_failures = [var.jupyterhub_admin_users]
}

run "an_app_with_its_own_options" {
  command = plan
  variables {
    apps = { "claude-chat" = { replicas = 4, exposure = "internet", allowed_cidrs = ["198.51.100.0/24"] } }
  }

  assert {
    condition     = local.app_replicas["claude-chat"] == 4 && local.app_exposure["claude-chat"] == "internet"
    error_message = "The tfvars' replicas and exposure override the declaration's."
  }
  assert {
    condition     = local.app_replicas["kb-assistant"] == (local.tier == "production" ? 2 : 1)
    error_message = "An app the tfvars do not name runs its declaration's replicas for the tier."
  }
}
