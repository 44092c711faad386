mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

mock_provider "kubernetes" {}

variables {
  name              = "loyalty-model"
  namespace         = "genai"
  cluster_name      = "genai-dev"
  role_name         = "genai-dev-loyalty-model"
  iam_policy_json   = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
  image             = "vllm/vllm-openai:v0.26.0"
  fetch_image       = "public.ecr.aws/aws-cli/aws-cli:2.31.0"
  base_model        = "meta-llama/Meta-Llama-3-8B-Instruct"
  base_model_s3_uri = "s3://genai-dev-model-assets/models/meta-llama/Meta-Llama-3-8B-Instruct/8afb486c1db24fe5011ec46dfbe5b5dccdb575c2/"
  runs_s3_uri       = "s3://genai-dev-model-assets/finetune/runs/"
  adapter           = { name = "loyalty", run = "loyalty-1", rank = 12 }
  api_key_secret    = { name = "loyalty-model-api-key", key = "api-key" }
  node_selector     = { "nvidia.com/gpu.present" = "true" }
  tolerations       = [{ key = "nvidia.com/gpu", operator = "Equal", value = "true", effect = "NoSchedule" }]
}

run "serves_the_adapter_on_a_gpu_node" {
  command = plan

  assert {
    condition     = output.max_lora_rank == 16 && contains(output.args, "--enable-lora") && join(" ", output.args) == "--model /models/base --served-model-name meta-llama/Meta-Llama-3-8B-Instruct --host 0.0.0.0 --port 8000 --enable-lora --lora-modules loyalty=/adapters/runs/loyalty-1/adapter --max-lora-rank 16 --max-model-len 4096 --gpu-memory-utilization 0.9"
    error_message = "vLLM serves the base model from local disk under its Hub id, with the run's adapter, its --max-lora-rank the smallest accepted value holding the adapter's rank (12 -> 16)."
  }
  assert {
    condition     = kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container[0].resources[0].limits["nvidia.com/gpu"] == "1" && kubernetes_deployment_v1.this.spec[0].template[0].spec[0].node_selector == var.node_selector && kubernetes_deployment_v1.this.spec[0].template[0].spec[0].toleration[0].key == "nvidia.com/gpu"
    error_message = "The server runs on a GPU node with one GPU."
  }
  assert {
    condition     = kubernetes_deployment_v1.this.spec[0].strategy[0].type == "Recreate" && kubernetes_deployment_v1.this.wait_for_rollout && kubernetes_deployment_v1.this.timeouts.create == "40m"
    error_message = "No rollout waits for a second GPU; the apply waits (long enough for a Karpenter node and the model load) for a serving pod instead of hiding a Pending one."
  }
  assert {
    condition     = kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container[0].startup_probe[0].failure_threshold * kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container[0].startup_probe[0].period_seconds == 1800 && kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container[0].readiness_probe[0].http_get[0].path == "/health"
    error_message = "The server has startup_timeout_minutes to load the model; it is ready when vLLM answers /health (it listens only once the model is loaded)."
  }
  assert {
    condition     = kubernetes_deployment_v1.this.spec[0].template[0].spec[0].security_context[0].run_as_non_root && alltrue([for c in concat(kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container, kubernetes_deployment_v1.this.spec[0].template[0].spec[0].init_container) : c.security_context[0].read_only_root_filesystem && !c.security_context[0].allow_privilege_escalation && c.security_context[0].capabilities[0].drop == tolist(["ALL"])])
    error_message = "Both containers meet the restricted Pod Security standard of the genai namespace."
  }
  assert {
    condition = {
      for e in kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container[0].env : e.name => e.value if contains(["USER", "HOME", "TORCHINDUCTOR_CACHE_DIR", "TRITON_CACHE_DIR", "HF_HUB_OFFLINE", "VLLM_ALLOW_RUNTIME_LORA_UPDATING"], e.name)
      } == {
      USER = "vllm", HOME = "/tmp", TORCHINDUCTOR_CACHE_DIR = "/cache/torchinductor", TRITON_CACHE_DIR = "/cache/triton", HF_HUB_OFFLINE = "1", VLLM_ALLOW_RUNTIME_LORA_UPDATING = "True"
    }
    error_message = "uid 1000 has a user name and writable home and compile caches; nothing comes from the Hub; adapters can be loaded at runtime."
  }
  assert {
    condition     = one([for e in kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container[0].env : e.value_from[0].secret_key_ref[0] if e.name == "VLLM_API_KEY"]).name == "loyalty-model-api-key" && one([for e in kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container[0].env : e.value if e.name == "VLLM_API_KEY"]) == null
    error_message = "The API key comes from the Kubernetes Secret, never a literal."
  }
  assert {
    condition     = one([for e in kubernetes_deployment_v1.this.spec[0].template[0].spec[0].init_container[0].env : e.value if e.name == "BASE_MODEL_URI"]) == var.base_model_s3_uri && strcontains(kubernetes_deployment_v1.this.spec[0].template[0].spec[0].init_container[0].command[2], "preferred_transfer_client = crt") && strcontains(kubernetes_deployment_v1.this.spec[0].template[0].spec[0].init_container[0].command[2], "aws s3 sync --only-show-errors \"$BASE_MODEL_URI\" /models/base")
    error_message = "The init container pulls the base model from S3 with the CRT (parallel) transfer client, not from the Hub."
  }
  assert {
    condition     = one([for c in kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container : c if c.name == "sync-adapters"]).volume_mount[0].mount_path == "/adapters" && strcontains(one([for c in kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container : c if c.name == "sync-adapters"]).command[2], "sleep 30") && one([for m in kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container[0].volume_mount : m.read_only if m.name == "adapters"])
    error_message = "A sidecar mirrors new runs' adapters every 30 s where vLLM reads them (read-only) for hot-loading."
  }
  assert {
    condition     = output.base_url == "http://loyalty-model.genai.svc.cluster.local/v1" && output.served_model == "loyalty" && kubernetes_service_v1.this.spec[0].type == "ClusterIP"
    error_message = "Clients in the cluster reach the OpenAI-compatible API at the Service and ask for the adapter by name."
  }
}

run "rank_at_a_boundary" {
  command = plan
  variables {
    adapter = { name = "loyalty", run = "loyalty-1", rank = 64 }
  }

  assert {
    condition     = output.max_lora_rank == 64 && !contains(output.args, "--revision")
    error_message = "A rank vLLM accepts is used as is; the revision is the S3 folder's, not an argument."
  }
}

run "rejects_an_unpinned_image" {
  command = plan
  variables {
    image = "vllm/vllm-openai:latest"
  }
  expect_failures = [var.image]
}

run "rejects_a_rank_vllm_cannot_serve" {
  command = plan
  variables {
    adapter = { name = "loyalty", run = "loyalty-1", rank = 1024 }
  }
  expect_failures = [var.adapter]
}

run "rejects_a_name_that_is_not_a_dns_label" {
  command = plan
  variables {
    name = "Loyalty_Model"
  }
  expect_failures = [var.name]
}

run "rejects_an_unpinned_fetch_image" {
  command = plan
  variables {
    fetch_image = "public.ecr.aws/aws-cli/aws-cli"
  }
  expect_failures = [var.fetch_image]
}

run "rejects_a_base_model_that_is_not_a_hub_id" {
  command = plan
  variables {
    base_model = "/scratch/tiny-base"
  }
  expect_failures = [var.base_model]
}

run "rejects_a_base_model_uri_without_a_folder" {
  command = plan
  variables {
    base_model_s3_uri = "s3://genai-dev-model-assets/models"
  }
  expect_failures = [var.base_model_s3_uri]
}

run "rejects_a_run_that_is_a_path" {
  command = plan
  variables {
    adapter = { name = "loyalty", run = "../loyalty-1", rank = 16 }
  }
  expect_failures = [var.adapter]
}

run "rejects_a_fractional_replica_count" {
  command = plan
  variables {
    replicas = 1.5
  }
  expect_failures = [var.replicas]
}

run "rejects_a_server_without_a_gpu" {
  command = plan
  variables {
    resources = { cpu = "3", memory = "24Gi", gpus = 0 }
  }
  expect_failures = [var.resources]
}

run "rejects_a_tiny_context" {
  command = plan
  variables {
    max_model_len = 128
  }
  expect_failures = [var.max_model_len]
}

run "rejects_the_whole_gpu_memory" {
  command = plan
  variables {
    gpu_memory_utilization = 1
  }
  expect_failures = [var.gpu_memory_utilization]
}

run "rejects_a_startup_shorter_than_a_model_download" {
  command = plan
  variables {
    startup_timeout_minutes = 2
  }
  expect_failures = [var.startup_timeout_minutes]
}

run "rejects_a_runs_uri_without_a_folder" {
  command = plan
  variables {
    runs_s3_uri = "s3://genai-dev-model-assets/finetune/runs"
  }
  expect_failures = [var.runs_s3_uri]
}

run "rejects_a_sync_every_second" {
  command = plan
  variables {
    adapter_sync_seconds = 1
  }
  expect_failures = [var.adapter_sync_seconds]
}

run "rejects_a_rollout_wait_shorter_than_a_gpu_node" {
  command = plan
  variables {
    rollout_timeout_minutes = 5
  }
  expect_failures = [var.rollout_timeout_minutes]
}

run "rejects_a_boundary_that_is_not_a_policy" {
  command = plan
  variables {
    permissions_boundary = "arn:aws:iam::123456789012:role/genai-dev-boundary"
  }
  expect_failures = [var.permissions_boundary]
}
