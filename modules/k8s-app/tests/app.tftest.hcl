mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

mock_provider "kubernetes" {}

variables {
  name                 = "claude-chat"
  namespace            = "genai"
  cluster_name         = "genai-dev"
  iam_role_name_prefix = "genai-dev"
  image                = "123456789012.dkr.ecr.us-east-1.amazonaws.com/genai/dev/claude-chat:0123456789abcdef0123456789abcdef01234567"
  port                 = 8501
  readiness_path       = "/_stcore/health"
  iam_policy_json      = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
  env                  = { CHAT_PROVIDER = "bedrock" }
}

run "internal_app" {
  command = plan
  variables {
    exposure = "internal"
  }

  assert {
    condition     = output.iam_role_name == "genai-dev-claude-chat" && kubernetes_service_account_v1.this.metadata[0].name == "claude-chat" && kubernetes_deployment_v1.this.spec[0].template[0].spec[0].service_account_name == "claude-chat"
    error_message = "The app's own role (modules/pod-identity-role) is for its own service account, which its pods use."
  }
  assert {
    condition     = output.iam_policy == var.iam_policy_json
    error_message = "The given policy is attached as is."
  }
  assert {
    condition     = kubernetes_service_v1.this.metadata[0].annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"] == "internal" && kubernetes_service_v1.this.spec[0].type == "LoadBalancer"
    error_message = "internal exposure is an internal NLB."
  }
  assert {
    condition     = kubernetes_service_v1.this.spec[0].load_balancer_class == "service.k8s.aws/nlb"
    error_message = "The class the controller's webhook would set is stated, so the next plan does not replace the Service."
  }
  assert {
    condition     = kubernetes_deployment_v1.this.spec[0].template[0].spec[0].security_context[0].run_as_non_root && kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container[0].security_context[0].read_only_root_filesystem && !kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container[0].security_context[0].allow_privilege_escalation
    error_message = "Pods run as non-root, read-only, without privilege escalation (restricted Pod Security)."
  }
  assert {
    condition     = !kubernetes_deployment_v1.this.spec[0].template[0].spec[0].automount_service_account_token
    error_message = "No Kubernetes API token is mounted: the app needs none."
  }
  assert {
    condition     = length(kubernetes_deployment_v1.this.spec[0].template[0].spec[0].toleration) == 0
    error_message = "A CPU app does not tolerate the GPU taint."
  }
}

run "gpu_app_in_the_cluster_only" {
  command = plan
  variables {
    gpu      = true
    exposure = "cluster"
  }

  assert {
    condition     = kubernetes_service_v1.this.spec[0].type == "ClusterIP" && kubernetes_service_v1.this.spec[0].load_balancer_class == null && output.load_balancer_hostname == null
    error_message = "cluster exposure creates no load balancer."
  }
  assert {
    condition     = kubernetes_deployment_v1.this.spec[0].template[0].spec[0].node_selector["nvidia.com/gpu.present"] == "true" && kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container[0].resources[0].limits["nvidia.com/gpu"] == "1"
    error_message = "A GPU app lands on GPU nodes and asks for one GPU."
  }
  assert {
    condition     = one(kubernetes_deployment_v1.this.spec[0].template[0].spec[0].toleration).key == "nvidia.com/gpu"
    error_message = "A GPU app tolerates the GPU taint."
  }
}

run "rejects_internet_exposure_without_an_allow_list" {
  command = plan
  variables {
    exposure = "internet"
  }
  expect_failures = [var.allowed_cidrs]
}

run "rejects_an_allow_list_open_to_all" {
  command = plan
  variables {
    exposure      = "internet"
    allowed_cidrs = ["0.0.0.0/0"]
  }
  expect_failures = [var.allowed_cidrs]
}

run "rejects_an_unknown_exposure" {
  command = plan
  variables {
    exposure = "public"
  }
  expect_failures = [var.exposure]
}

run "rejects_a_latest_image" {
  command = plan
  variables {
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/genai/dev/claude-chat:latest"
  }
  expect_failures = [var.image]
}

run "rejects_an_untagged_image" {
  command = plan
  variables {
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/genai/dev/claude-chat"
  }
  expect_failures = [var.image]
}

run "rejects_a_name_that_is_not_a_dns_label" {
  command = plan
  variables {
    name = "Claude_Chat"
  }
  expect_failures = [var.name]
}

run "rejects_a_namespace_that_is_not_a_dns_label" {
  command = plan
  variables {
    namespace = "GenAI"
  }
  expect_failures = [var.namespace]
}

run "rejects_a_role_name_over_64_characters" {
  command = plan
  variables {
    iam_role_name_prefix = "genai-platform-shared-services-staging-eu"
    name                 = "knowledge-base-assistant"
  }
  expect_failures = [var.iam_role_name_prefix]
}

run "rejects_a_malformed_cluster_name" {
  command = plan
  variables {
    cluster_name = "-genai-dev"
  }
  expect_failures = [var.cluster_name]
}

run "rejects_a_privileged_port" {
  command = plan
  variables {
    port = 80
  }
  expect_failures = [var.port]
}

run "rejects_a_relative_readiness_path" {
  command = plan
  variables {
    readiness_path = "healthz"
  }
  expect_failures = [var.readiness_path]
}

run "rejects_a_relative_liveness_path" {
  command = plan
  variables {
    liveness_path = "livez"
  }
  expect_failures = [var.liveness_path]
}

run "probes_readiness_and_liveness_on_their_own_paths" {
  command = plan
  variables {
    readiness_path = "/readyz"
    liveness_path  = "/livez"
    resources      = { limits_memory = "2Gi" }
  }

  assert {
    condition     = kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container[0].readiness_probe[0].http_get[0].path == "/readyz" && kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container[0].liveness_probe[0].http_get[0].path == "/livez"
    error_message = "The readiness and liveness probes ask their own paths."
  }
  assert {
    condition = kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container[0].resources[0].limits == tomap({ cpu = "1", memory = "2Gi" }) && kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container[0].resources[0].requests == tomap({
      cpu = "250m", memory = "512Mi"
    })
    error_message = "A resource field left out keeps its default."
  }
}

run "null_options_take_the_defaults" {
  command = plan
  variables {
    replicas      = null
    exposure      = null
    allowed_cidrs = null
    resources     = null
  }

  assert {
    condition     = tonumber(kubernetes_deployment_v1.this.spec[0].replicas) == 2 && kubernetes_service_v1.this.spec[0].type == "ClusterIP" && kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container[0].liveness_probe[0].http_get[0].path == "/_stcore/health"
    error_message = "A caller passing null gets two replicas and no load balancer; liveness follows the readiness path."
  }
}

run "rejects_an_env_key_that_env_from_would_skip" {
  command = plan
  variables {
    env = { "CHAT-PROVIDER" = "bedrock" }
  }
  expect_failures = [var.env]
}

run "rejects_zero_replicas" {
  command = plan
  variables {
    replicas = 0
  }
  expect_failures = [var.replicas]
}

run "reads_in_cluster_credentials_from_secrets" {
  command = plan
  variables {
    secret_env = { QDRANT_API_KEY = { secret = "qdrant-api-key", key = "api-key" } }
  }

  assert {
    condition = [for e in kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container[0].env : {
      name = e.name, secret = one(one(e.value_from).secret_key_ref).name, key = one(one(e.value_from).secret_key_ref).key
    }] == [{ name = "QDRANT_API_KEY", secret = "qdrant-api-key", key = "api-key" }]
    error_message = "A secret_env variable is read from its Secret by reference."
  }
  assert {
    condition     = !contains(keys(kubernetes_config_map_v1.this.data), "QDRANT_API_KEY")
    error_message = "A credential never lands in the ConfigMap."
  }
}

run "rejects_a_secret_env_with_a_malformed_secret_name" {
  command = plan
  variables {
    secret_env = { QDRANT_API_KEY = { secret = "Qdrant_Keys", key = "api-key" } }
  }
  expect_failures = [var.secret_env]
}

run "rejects_a_variable_in_both_env_and_secret_env" {
  command = plan
  variables {
    env        = { QDRANT_API_KEY = "in-the-clear" }
    secret_env = { QDRANT_API_KEY = { secret = "qdrant-api-key", key = "api-key" } }
  }
  expect_failures = [var.secret_env]
}

run "rejects_a_boundary_that_is_not_a_policy" {
  command = plan
  variables {
    permissions_boundary = "arn:aws:iam::123456789012:role/genai-dev-boundary"
  }
  expect_failures = [var.permissions_boundary]
}
