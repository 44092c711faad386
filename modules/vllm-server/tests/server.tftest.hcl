mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

mock_provider "kubernetes" {}

variables {
  name                = "loyalty-model"
  namespace           = "genai"
  cluster_name        = "genai-dev"
  role_name           = "genai-dev-loyalty-model"
  iam_policy_json     = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
  image               = "vllm/vllm-openai:v0.11.0"
  fetch_image         = "public.ecr.aws/aws-cli/aws-cli:2.31.0"
  base_model          = "meta-llama/Meta-Llama-3-8B-Instruct"
  base_model_revision = "8afb486c1db24fe5011ec46dfbe5b5dccdb575c2"
  adapter             = { name = "loyalty", s3_uri = "s3://genai-dev-model-assets/finetune/runs/loyalty-1/adapter/", rank = 12 }
  hf_token_secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:genai-dev/hugging-face-token-AbCdEf"
  node_selector       = { "nvidia.com/gpu.present" = "true" }
  tolerations         = [{ key = "nvidia.com/gpu", operator = "Equal", value = "true", effect = "NoSchedule" }]
}

run "serves_the_adapter_on_a_gpu_node" {
  command = plan

  assert {
    condition     = output.max_lora_rank == 16 && contains(output.args, "--enable-lora") && join(" ", output.args) == "--model meta-llama/Meta-Llama-3-8B-Instruct --revision 8afb486c1db24fe5011ec46dfbe5b5dccdb575c2 --host 0.0.0.0 --port 8000 --enable-lora --lora-modules loyalty=/adapters/loyalty --max-lora-rank 16 --max-model-len 4096 --gpu-memory-utilization 0.9"
    error_message = "vLLM serves the pinned base model with the adapter, its --max-lora-rank the smallest accepted value holding the adapter's rank (12 -> 16)."
  }
  assert {
    condition     = kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container[0].resources[0].limits["nvidia.com/gpu"] == "1" && kubernetes_deployment_v1.this.spec[0].template[0].spec[0].node_selector == var.node_selector && kubernetes_deployment_v1.this.spec[0].template[0].spec[0].toleration[0].key == "nvidia.com/gpu"
    error_message = "The server runs on a GPU node with one GPU."
  }
  assert {
    condition     = kubernetes_deployment_v1.this.spec[0].strategy[0].type == "Recreate" && !kubernetes_deployment_v1.this.wait_for_rollout
    error_message = "No rollout waits for a second GPU, and the apply does not wait for a GPU node that may not exist yet."
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
    condition     = alltrue([for e in kubernetes_deployment_v1.this.spec[0].template[0].spec[0].container[0].env : !can(regex("(?i)token$", e.name)) || e.name == "HF_TOKEN_PATH"]) && one([for v in kubernetes_deployment_v1.this.spec[0].template[0].spec[0].volume : v if v.name == "secrets"]).empty_dir[0].medium == "Memory"
    error_message = "The Hugging Face token is a file in memory, never an environment variable or on disk."
  }
  assert {
    condition     = one([for e in kubernetes_deployment_v1.this.spec[0].template[0].spec[0].init_container[0].env : e.value if e.name == "ADAPTER_URI"]) == var.adapter.s3_uri && strcontains(kubernetes_deployment_v1.this.spec[0].template[0].spec[0].init_container[0].command[2], "aws s3 cp --recursive")
    error_message = "The init container copies the adapter from its S3 folder."
  }
  assert {
    condition     = output.base_url == "http://loyalty-model.genai.svc.cluster.local/v1" && output.served_model == "loyalty" && kubernetes_service_v1.this.spec[0].type == "ClusterIP"
    error_message = "Clients in the cluster reach the OpenAI-compatible API at the Service and ask for the adapter by name."
  }
}

run "rank_at_a_boundary_and_no_revision" {
  command = plan
  variables {
    adapter             = { name = "loyalty", s3_uri = "s3://genai-dev-model-assets/finetune/runs/loyalty-1/adapter/", rank = 64 }
    base_model_revision = null
  }

  assert {
    condition     = output.max_lora_rank == 64 && !contains(output.args, "--revision")
    error_message = "A rank vLLM accepts is used as is; without a revision the default branch is served."
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
    adapter = { name = "loyalty", s3_uri = "s3://genai-dev-model-assets/finetune/runs/loyalty-1/adapter/", rank = 1024 }
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

run "rejects_an_adapter_uri_without_a_folder" {
  command = plan
  variables {
    adapter = { name = "loyalty", s3_uri = "s3://genai-dev-model-assets/adapter", rank = 16 }
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
